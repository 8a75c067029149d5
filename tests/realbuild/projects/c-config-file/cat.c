#include <stdio.h>
int main(int argc, char **argv) {
    FILE *f = fopen(argc > 1 ? argv[1] : "/etc/app.conf", "r");
    char line[256];
    if (!f) { printf("no config\n"); return 1; }
    while (fgets(line, sizeof line, f)) printf("config: %s", line);
    return 0;
}
