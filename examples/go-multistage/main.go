package main

import "fmt"

func main() { fmt.Println("hello from a 2 MB image") }
