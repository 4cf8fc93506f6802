// An osls plugin is loaded with require(), and Node 20 cannot require TypeScript: tsx compiles
// template/plugin.ts for this one require, without hooking anything else.
module.exports = require('tsx/cjs/api').require('./plugin.ts', __filename).TemplatePlugin;
