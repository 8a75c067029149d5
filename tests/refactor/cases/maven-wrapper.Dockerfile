FROM eclipse-temurin:17-jdk
WORKDIR /app
COPY . .
RUN ./mvnw -q package
EXPOSE 8081
CMD java -jar target/app.jar
