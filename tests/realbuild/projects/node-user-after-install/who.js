const os = require("os");
console.log(`user=${os.userInfo().username} home=${os.homedir()} cwd=${process.cwd()}`);
