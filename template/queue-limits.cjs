// osls loads `${file(...)}` modules with require(), and Node 20 cannot require TypeScript: tsx compiles
// shared/queue-limits.ts for this one require, so that serverless.yml and the code read one number.
module.exports = require('tsx/cjs/api').require('../shared/queue-limits.ts', __filename);
