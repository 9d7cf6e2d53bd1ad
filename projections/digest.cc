#include "projections/digest.h"

#include <memory>

#include "ledger/assert.h"
#include "ledger/hash.h"
#include "ledger/keys.h"

namespace mkt {

std::string DigestFamilies(const Store& store, const std::vector<std::string>& families) {
  Sha256Stream stream;
  rocksdb::ReadOptions options;
  const rocksdb::Snapshot* snapshot = store.db()->GetSnapshot();
  options.snapshot = snapshot;
  std::string length;
  auto put = [&](const rocksdb::Slice& bytes) {
    length.clear();
    keys::AppendU64(&length, bytes.size());
    stream.Update(length);
    stream.Update({bytes.data(), bytes.size()});
  };
  for (const std::string& family : families) {
    put(family);
    std::unique_ptr<rocksdb::Iterator> it(store.db()->NewIterator(options, store.cf(family)));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      put(it->key());
      put(it->value());
    }
    MKT_ASSERT(it->status().ok(), "digest read failed: ", it->status().ToString());
  }
  store.db()->ReleaseSnapshot(snapshot);
  return ToHex(stream.Finish());
}

}  // namespace mkt
