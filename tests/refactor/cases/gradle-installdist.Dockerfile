FROM gradle:8.7-jdk17
WORKDIR /app
COPY . .
RUN gradle installDist
ENTRYPOINT ["/app/build/install/app/bin/app"]
