import os
import sys
from importlib.metadata import version


def main() -> None:
    print(f"hello from python {sys.argv[1:]} version={version('hello')} cwd={os.getcwd()}")


if __name__ == "__main__":
    main()
