import getpass
import os

print(f"user={getpass.getuser()} home={os.path.expanduser('~')} cwd={os.getcwd()}")
