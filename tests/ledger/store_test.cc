// The store writes each batch in (family, key) order for the memtable's sake;
// what a reader sees afterwards must be exactly what the batch said, in order.
#include <gtest/gtest.h>

#include <filesystem>

#include "ledger/store.h"
#include "rocksdb/write_batch.h"

namespace mkt {
namespace {

class StoreWrite : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("store_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    auto opened = Store::Open(dir_.string(), {});
    ASSERT_TRUE(std::holds_alternative<std::unique_ptr<Store>>(opened)) << std::get<std::string>(opened);
    store_ = std::move(std::get<std::unique_ptr<Store>>(opened));
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::string Read(const char* family, const std::string& key) {
    std::string value;
    return store_->Get(store_->cf(family), key, &value) ? value : "<absent>";
  }

  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(StoreWrite, LaterWritesOfAKeyInOneBatchWin) {
  rocksdb::WriteBatch batch;
  batch.Put(store_->cf(kCfLedgerState), "k", "first");
  batch.Put(store_->cf(kCfLedgerState), "a", "other");
  batch.Put(store_->cf(kCfLedgerState), "k", "second");
  batch.Put(store_->cf(kCfTimers), "gone", "x");
  batch.Delete(store_->cf(kCfTimers), "gone");
  batch.Delete(store_->cf(kCfTimers), "back");
  batch.Put(store_->cf(kCfTimers), "back", "y");
  ASSERT_EQ(store_->Write(&batch, /*sync=*/false), "");
  EXPECT_EQ(Read(kCfLedgerState, "k"), "second");
  EXPECT_EQ(Read(kCfLedgerState, "a"), "other");
  EXPECT_EQ(Read(kCfTimers, "gone"), "<absent>");
  EXPECT_EQ(Read(kCfTimers, "back"), "y");
}

TEST_F(StoreWrite, SameKeyInTwoFamiliesStaysApart) {
  rocksdb::WriteBatch batch;
  batch.Put(store_->cf(kCfTimers), "k", "timers");
  batch.Put(store_->cf(kCfLedgerState), "k", "state");
  ASSERT_EQ(store_->WriteUnlogged(&batch), "");
  EXPECT_EQ(Read(kCfTimers, "k"), "timers");
  EXPECT_EQ(Read(kCfLedgerState, "k"), "state");
}

TEST_F(StoreWrite, BatchWithARangeDeleteIsWrittenAsItIs) {
  rocksdb::WriteBatch setup;
  setup.Put(store_->cf(kCfTimers), "b", "1");
  setup.Put(store_->cf(kCfTimers), "c", "2");
  ASSERT_EQ(store_->Write(&setup, /*sync=*/false), "");
  rocksdb::WriteBatch batch;
  batch.DeleteRange(store_->cf(kCfTimers), "a", "z");
  batch.Put(store_->cf(kCfTimers), "c", "3");
  ASSERT_EQ(store_->Write(&batch, /*sync=*/false), "");
  EXPECT_EQ(Read(kCfTimers, "b"), "<absent>");
  EXPECT_EQ(Read(kCfTimers, "c"), "3");
}

}  // namespace
}  // namespace mkt
