# MediaMesh runtime image: packages ONE pre-built jar, chosen with the JAR build arg.
# Build the jars first (mvn -B -DskipTests package), then e.g.:
#
#   docker build --build-arg JAR=verticles/cms/target/cms-fat.jar -t mediamesh/cms .
#   docker build -t mediamesh/all .          # default: launcher/target/mediamesh.jar, all services in one JVM
#
# Per-service jars: verticles/<svc>/target/<svc>-fat.jar for auth cms metadata media ingest search
# discovery cms-gateway discovery-gateway. Configuration comes from MEDIAMESH_<PATH> environment
# variables (see compose.yml). No HEALTHCHECK here: the image carries no HTTP client, so compose.yml
# does the health checks where it can; every service answers /health, /ready and /metrics.
FROM eclipse-temurin:17-jre

ARG JAR=launcher/target/mediamesh.jar

RUN groupadd --system mediamesh \
 && useradd --system --gid mediamesh --home-dir /app --no-create-home --shell /usr/sbin/nologin mediamesh \
 && mkdir -p /app \
 && chown mediamesh:mediamesh /app

WORKDIR /app
COPY ${JAR} /app/app.jar

USER mediamesh

# 8080-8091: service HTTP ports (gateways 8080/8081, services 8082-8091); 5701: Hazelcast cluster.
EXPOSE 8080-8091 5701

ENTRYPOINT ["java","-XX:MaxRAMPercentage=75","-jar","/app/app.jar"]
