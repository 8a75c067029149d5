FROM gcc:13
RUN apt-get update && apt-get install -y cmake
WORKDIR /src
COPY . .
RUN cmake -S . -B build && cmake --build build
EXPOSE 7000
CMD ["/src/build/app"]
