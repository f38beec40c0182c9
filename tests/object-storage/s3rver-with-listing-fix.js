#!/usr/bin/env node
// s3rver 3.7.1 with one fix, then its own command line (same arguments).
// Its delimited listing prunes a directory beneath a common prefix before it has seen a key in it, so a prefix whose
// objects all sit deeper is never reported: pgBackRest lists archive/<stanza>/ with delimiter "/" and, finding no
// 15-1/, `pgbackrest verify` says "no archives exist" and checks no WAL at all. Here a delimited listing is computed
// from the full listing instead (fine for a test bucket).
'use strict';

const FilesystemStore = require('s3rver/lib/stores/filesystem');

const listAll = FilesystemStore.prototype.listObjects;
FilesystemStore.prototype.listObjects = async function listObjects(bucket, options) {
  const { delimiter = '', prefix = '', maxKeys = Infinity } = options;
  if (!delimiter) {
    return listAll.call(this, bucket, options);
  }

  const all = await listAll.call(this, bucket, { ...options, delimiter: '', maxKeys: Infinity });
  const commonPrefixes = new Set();
  const objects = [];
  let isTruncated = false;
  for (const object of all.objects) {
    const rest = object.key.slice(prefix.length);
    const idx = rest.indexOf(delimiter);
    if (idx !== -1) {
      commonPrefixes.add(prefix + rest.slice(0, idx + delimiter.length));
    } else if (objects.length < maxKeys) {
      objects.push(object);
    } else {
      isTruncated = true;
    }
  }

  return { objects, commonPrefixes: [...commonPrefixes].sort(), isTruncated };
};

require('s3rver/bin/s3rver.js');
