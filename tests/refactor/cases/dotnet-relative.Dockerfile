FROM mcr.microsoft.com/dotnet/sdk:6.0
WORKDIR /src
COPY . .
RUN dotnet publish Api.csproj -c Release -o out
ENTRYPOINT ["dotnet", "out/Api.dll"]
