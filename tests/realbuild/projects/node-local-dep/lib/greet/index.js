module.exports = (who) => `greetings, ${who}`;
