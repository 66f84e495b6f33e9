import { npi } from '../test/roster/helpers.js';
console.log(npi('123456789'), npi('100000000'), npi('200000000'), npi('198765432'));
