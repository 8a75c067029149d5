FROM gcc:13
WORKDIR /usr/src/hello
COPY hello.c .
RUN gcc -O2 -o hello hello.c
CMD ["./hello"]
