const name = require('./package.json').name;
console.log(`${name} from Node ${process.versions.node.split('.')[0]}`);
