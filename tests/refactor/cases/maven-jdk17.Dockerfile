FROM maven:3-jdk17
WORKDIR /code
COPY . /code
RUN mvn --batch-mode clean package
LABEL org.opencontainers.image.title="orders"
HEALTHCHECK CMD curl -f http://localhost:8080/health || exit 1
CMD ["java", "-jar", "/code/target/orders.jar"]
