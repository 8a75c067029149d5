FROM gcc:14
COPY main.c /src/main.c
RUN gcc -static -o /usr/local/bin/tool /src/main.c
ENTRYPOINT ["/usr/local/bin/tool"]
