package main

/*
int twice(int x) { return 2 * x; }
*/
import "C"
import "fmt"

func main() {
	fmt.Printf("hello from cgo twice(21)=%d\n", int(C.twice(21)))
}
