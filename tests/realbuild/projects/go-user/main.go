package main

import (
	"fmt"
	"os"
	"os/user"
)

func main() {
	u, err := user.Current()
	name := "?"
	if err == nil {
		name = u.Username
	}
	wd, _ := os.Getwd()
	fmt.Printf("user=%s uid=%d home=%s cwd=%s\n", name, os.Getuid(), os.Getenv("HOME"), wd)
}
