#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <pwd.h>
int main(void) {
    struct passwd *pw = getpwuid(getuid());
    char cwd[512];
    printf("user=%s uid=%d home=%s cwd=%s\n", pw ? pw->pw_name : "?", (int)getuid(),
           getenv("HOME") ? getenv("HOME") : "-", getcwd(cwd, sizeof cwd) ? cwd : "?");
    return 0;
}
