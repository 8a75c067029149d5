FROM maven:3-jdk17 AS build
WORKDIR /src
COPY pom.xml .
COPY src ./src
RUN mvn -B -q package && cp target/*.jar /opt/app.jar

FROM eclipse-temurin:17-jre
COPY --from=build /opt/app.jar /opt/app.jar
CMD ["java", "-jar", "/opt/app.jar", "moved"]
