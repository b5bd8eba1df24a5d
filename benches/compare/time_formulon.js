// Times formulon's parse (parse + evaluate in one call) on the formulas of formulas.json.
// Prints one JSON object per line, like time_formulas.rs.
const fs = require('fs');
const formulon = require(process.env.FORMULON_PATH || 'formulon');

function identifiers(spec) {
  const out = {};
  for (const [name, [dataType, value]] of Object.entries(spec)) {
    out[name] = dataType === 'text'
      ? { type: 'literal', dataType, value, options: { length: 255 } }
      : { type: 'literal', dataType, value: Number(value), options: { length: 18, scale: 8 } };
  }
  return out;
}

const cases = JSON.parse(fs.readFileSync(process.argv[2] || 'formulas.json', 'utf8'));
for (const c of cases) {
  const ids = identifiers(c.formulon);
  const result = formulon.parse(c.formula, ids);
  const budgetNs = 300e6;
  // Warm up first, so the JIT has compiled the hot paths before the clock starts.
  const warm = process.hrtime.bigint();
  while (Number(process.hrtime.bigint() - warm) < 200e6) formulon.parse(c.formula, ids);
  let iterations = 0;
  const start = process.hrtime.bigint();
  while (Number(process.hrtime.bigint() - start) < budgetNs) {
    for (let i = 0; i < 100; i++) formulon.parse(c.formula, ids);
    iterations += 100;
  }
  const ns = Number(process.hrtime.bigint() - start) / iterations;
  console.log(JSON.stringify({ name: c.name, value: result.value === undefined ? result.message : result.value, one_shot_ns: ns }));
}
