console.log(`hello from node ${process.argv.slice(2).join(",")} env=${process.env.NODE_ENV || "-"} cwd=${process.cwd()}`);
