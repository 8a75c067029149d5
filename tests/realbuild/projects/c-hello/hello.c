#include <stdio.h>

int main(void) {
    printf("hello from C, %d stages\n", 2);
    return 0;
}
