import os
import sys


def main() -> None:
    print(f"hello from python {sys.argv[1:]} prefix={os.path.basename(sys.prefix)} cwd={os.getcwd()}")


if __name__ == "__main__":
    main()
