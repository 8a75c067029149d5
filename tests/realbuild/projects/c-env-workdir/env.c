#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
int main(void) {
    char cwd[512];
    printf("cwd=%s APP_HOME=%s MODE=%s\n", getcwd(cwd, sizeof cwd) ? cwd : "?",
           getenv("APP_HOME") ? getenv("APP_HOME") : "-", getenv("MODE") ? getenv("MODE") : "-");
    return 0;
}
