console.log(require("greet")("local dependency"));
