# eNMS: build with the .NET SDK (and Node.js for the browser bundles), run on the ASP.NET runtime.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN dotnet publish eNMS.Web -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
# What the app runs besides itself, all from the distribution's packages:
#   tzdata                    time zone rules for schedules in any zone
#   iputils-ping              the ping service
#   ansible, python3-paramiko the ansible_playbook service (ansible-playbook; network_cli logs in with paramiko)
#   git, openssh-client       the Git mirror of configuration backups (git over SSH to the remote)
#   postgresql-client         pg_dump / pg_restore for `backup` and `restore` on PostgreSQL
#   curl                      the container health check (GET /health/ready)
RUN apt-get update \
    && apt-get install -y --no-install-recommends tzdata iputils-ping ansible python3-paramiko git openssh-client postgresql-client curl ca-certificates \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
ENV ASPNETCORE_URLS=http://0.0.0.0:8080 \
    Enms__DataDirectory=/data
VOLUME /data
EXPOSE 8080
# Ready: database reachable, migrations applied, scheduler running, key ring readable. The first start migrates
# (and waits for another node that does): give it time before counting failures.
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 CMD curl -fsS http://localhost:8080/health/ready || exit 1
# Backups and restores run in the same image: docker compose run --rm app1 backup /data/enms-backup.zip
ENTRYPOINT ["dotnet", "eNMS.Web.dll"]
