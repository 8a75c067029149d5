import os
import shutil

print(f"cwd={os.getcwd()} APP_HOME={os.environ.get('APP_HOME')} tool={shutil.which('tool')}")
