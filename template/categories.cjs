// osls loads `${file(...)}` modules with require(), and Node 20 cannot require TypeScript: tsx compiles
// template/categories.ts (and the catalog it reads) for this one require, without hooking anything else.
module.exports = require('tsx/cjs/api').require('./categories.ts', __filename);
