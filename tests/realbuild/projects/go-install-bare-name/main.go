package main

import (
	"fmt"
	"os"
)

var version = "dev"

func main() {
	fmt.Printf("hello from go %s args=%v\n", version, os.Args[1:])
}
