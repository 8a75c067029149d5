#include <stdio.h>
int main(int argc, char **argv) {
    printf("hello from %s", NAME);
    for (int i = 1; i < argc; i++) printf(" [%s]", argv[i]);
    printf("\n");
    return 0;
}
