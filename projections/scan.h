// Reading read-model records back: every value is verified with the
// FlatBuffers Verifier before use (a corrupt record is a broken invariant).
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "flatbuffers/flatbuffers.h"
#include "ledger/assert.h"
#include "ledger/store.h"

namespace mkt {

// Every record of `family` whose key starts with `prefix`, unpacked, in key order.
template <typename Table>
std::vector<typename Table::NativeTableType> ReadPrefix(const Store& store, const char* family,
                                                        std::string_view prefix,
                                                        const rocksdb::ReadOptions& options = {}) {
  std::vector<typename Table::NativeTableType> rows;
  std::unique_ptr<rocksdb::Iterator> it(store.db()->NewIterator(options, store.cf(family)));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    flatbuffers::Verifier verifier(reinterpret_cast<const uint8_t*>(it->value().data()),
                                   it->value().size());
    MKT_ASSERT(verifier.VerifyBuffer<Table>(nullptr), "corrupt record in ", family);
    flatbuffers::GetRoot<Table>(it->value().data())->UnPackTo(&rows.emplace_back());
  }
  MKT_ASSERT(it->status().ok(), "read of ", family, " failed: ", it->status().ToString());
  return rows;
}

}  // namespace mkt
