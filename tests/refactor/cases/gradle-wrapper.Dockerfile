FROM eclipse-temurin:21
WORKDIR /src
COPY . .
RUN ./gradlew build -x test
CMD ["java", "-jar", "build/libs/service.jar"]
