# eNMS: build with the .NET SDK (and Node.js for the browser bundles), run on the ASP.NET runtime.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN dotnet publish eNMS.Web -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
# Time zone rules for schedules in any zone; ping for the reachability services.
RUN apt-get update && apt-get install -y --no-install-recommends tzdata iputils-ping && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
ENV ASPNETCORE_URLS=http://0.0.0.0:8080 \
    Enms__DataDirectory=/data
VOLUME /data
EXPOSE 8080
ENTRYPOINT ["dotnet", "eNMS.Web.dll"]
