package main

import (
	"fmt"
	"os"
)

func main() {
	wd, _ := os.Getwd()
	fmt.Printf("cwd=%s APP_HOME=%s MODE=%s\n", wd, os.Getenv("APP_HOME"), os.Getenv("MODE"))
}
