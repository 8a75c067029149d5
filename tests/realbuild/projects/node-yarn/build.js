const fs = require("fs");
fs.mkdirSync("dist", { recursive: true });
fs.writeFileSync("dist/main.js", "console.log(\"built by a build script\");\n");
