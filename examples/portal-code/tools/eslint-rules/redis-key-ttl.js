// Example code of the fictional Kestrel platform, for `build-index check --code` (see README).

// … (left out of the example)




































module.exports.create = function create(context) {
  return { CallExpression() {} };
};
