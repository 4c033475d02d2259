// File: explorer/engine/fingerprint_store.hpp
//
// `--store fingerprint`: a shard of the visited set that keeps 7 bytes per
// state instead of the state. Same interface as Shard<State>
// (state_store.hpp), so the explorer runs unchanged on either.
//
// Visited set. A state's 64-bit fingerprint (XXH3, fixed seed) selects the
// shard by its top 8 bits; the shard stores the low 56 bits. Two states are
// taken to be equal iff their 64-bit fingerprints are equal: a collision makes
// the search skip a state (an omission, never a false violation: every trace
// is replayed on full states). Buckets are one 64-byte cache line: nine 7-byte
// keys and a fill count; linear probing over buckets from the home bucket
// (multiply-shift of the key); no deletions, so a key is always found before
// the first bucket that is not full. The table grows by 5/4 once 90 % of the
// slots are used: about 8 to 9.5 bytes per state.
//
// States. The explorer needs full states for the frontier (the level being
// expanded and the one being built) and, for a counterexample, every level.
// The shard keeps states in memory from its retire point on; retire_below(i)
// appends the states before i to an unnamed temporary file (std::tmpfile(),
// removed by the OS when the process ends) and frees their memory. A trace
// reads the levels back (for_each). Disk use: sizeof(State) per state.
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/state_store.hpp"

namespace mmcheck::engine {

// A level file could not be written or read (disk full, I/O error): the
// explorer reports the search as incomplete.
struct LevelFileError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class FingerprintTable {
 public:
  static constexpr int kSlots = 9;     // 7-byte keys per 64-byte bucket
  static constexpr int kKeyBytes = 7;  // the low 56 bits of the fingerprint
  static constexpr double kMaxLoad = 0.9;

  FingerprintTable() { allocate(64); }
  ~FingerprintTable() { release(buckets_, nbuckets_); }
  FingerprintTable(const FingerprintTable&) = delete;
  FingerprintTable& operator=(const FingerprintTable&) = delete;

  std::size_t size() const { return size_; }
  std::size_t bytes() const { return nbuckets_ * sizeof(Bucket); }

  // true iff `fp` was not present (and is now).
  bool insert(std::uint64_t fp) {
    if (size_ + 1 > grow_at_) grow();
    return insert_key(key_of(fp));
  }
  bool contains(std::uint64_t fp) const {
    const std::uint64_t key = key_of(fp);
    for (std::size_t b = home(key);; b = next(b)) {
      const Bucket& bucket = buckets_[b];
      for (int i = 0; i < bucket.count(); ++i) {
        if (bucket.key(i) == key) return true;
      }
      if (bucket.count() < kSlots) return false;
    }
  }
  void prefetch(std::uint64_t fp) const { __builtin_prefetch(&buckets_[home(key_of(fp))], 1); }

 private:
  struct alignas(64) Bucket {
    unsigned char bytes[64];
    int count() const { return bytes[63]; }
    std::uint64_t key(int i) const {
      std::uint64_t v;
      std::memcpy(&v, bytes + i * kKeyBytes, sizeof v);  // slot 8 reads the count byte too
      return v & kKeyMask;
    }
    void append(std::uint64_t key) {
      std::memcpy(bytes + count() * kKeyBytes, &key, kKeyBytes);  // little-endian low bytes
      ++bytes[63];
    }
  };
  static_assert(sizeof(Bucket) == 64 && kSlots * kKeyBytes < 64);
  static constexpr std::uint64_t kKeyMask = (std::uint64_t{1} << 56) - 1;

  static std::uint64_t key_of(std::uint64_t fp) { return fp & kKeyMask; }
  std::size_t home(std::uint64_t key) const {
    // Multiply-shift over bits the shard choice did not use.
    const std::uint64_t mixed = (key * 0x9e3779b97f4a7c15ull) >> 32;
    return static_cast<std::size_t>((mixed * nbuckets_) >> 32);
  }
  std::size_t next(std::size_t b) const { return b + 1 == nbuckets_ ? 0 : b + 1; }

  bool insert_key(std::uint64_t key) {
    for (std::size_t b = home(key);; b = next(b)) {
      Bucket& bucket = buckets_[b];
      const int n = bucket.count();
      for (int i = 0; i < n; ++i) {
        if (bucket.key(i) == key) return false;
      }
      if (n < kSlots) {
        bucket.append(key);
        ++size_;
        return true;
      }
    }
  }

  // Buckets come straight from mmap (zeroed: every count 0) and go back with
  // munmap, so a grown table's old memory leaves the process at once (malloc
  // would keep it after raising its mmap threshold).
  void allocate(std::size_t nbuckets) {
    void* p = ::mmap(nullptr, nbuckets * sizeof(Bucket), PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    buckets_ = static_cast<Bucket*>(p);
    nbuckets_ = nbuckets;
    grow_at_ = static_cast<std::size_t>(kMaxLoad * kSlots * static_cast<double>(nbuckets));
  }
  static void release(Bucket* b, std::size_t n) {
    if (b != nullptr) ::munmap(b, n * sizeof(Bucket));
  }

  void grow() {
    Bucket* old = buckets_;
    const std::size_t old_n = nbuckets_;
    allocate(old_n + old_n / 4);
    size_ = 0;
    for (std::size_t b = 0; b < old_n; ++b) {
      for (int i = 0; i < old[b].count(); ++i) insert_key(old[b].key(i));
    }
    release(old, old_n);
  }

  Bucket* buckets_ = nullptr;
  std::size_t nbuckets_ = 0;
  std::size_t size_ = 0;
  std::size_t grow_at_ = 0;
};

template <typename State>
class FingerprintShard {
 public:
  static constexpr bool kExact = false;
  // States buffered before a write to the level file (about 16 KiB).
  static constexpr std::size_t kBuffer = std::max<std::size_t>(1, 16384 / sizeof(State));

  FingerprintShard() = default;
  FingerprintShard(const FingerprintShard&) = delete;
  FingerprintShard& operator=(const FingerprintShard&) = delete;
  ~FingerprintShard() {
    if (file_ != nullptr) std::fclose(file_);
  }

  std::size_t size() const { return count_; }

  std::uint32_t insert(const State& s, std::uint64_t fp) {
    if (count_ >= kMaxLocal) throw std::length_error("state store shard full");
    if (!table_.insert(fp)) return kMaxLocal;
    buffer_.push_back(s);
    if (buffer_.size() == kBuffer) flush();
    return static_cast<std::uint32_t>(count_++);
  }
  void prefetch(const State&, std::uint64_t fp) const { table_.prefetch(fp); }
  bool contains(const State&, std::uint64_t fp) const { return table_.contains(fp); }

  // The level is complete: write what is buffered (for_each reads the file).
  void seal() { flush(); }

  // fn(state) for the states [begin, end). Safe from several threads at once
  // once sealed (pread).
  template <typename F>
  void for_each(std::uint32_t begin, std::uint32_t end, F&& fn) const {
    constexpr std::uint32_t kChunk = 4096;
    std::vector<State> chunk;
    std::uint32_t i = begin;
    while (i < end && i < flushed_) {
      const std::uint32_t stop = std::min<std::uint32_t>({end, flushed_, i + kChunk});
      chunk.resize(stop - i);
      read_all(reinterpret_cast<char*>(chunk.data()), chunk.size() * sizeof(State),
               static_cast<off_t>(i) * static_cast<off_t>(sizeof(State)));
      for (const State& s : chunk) fn(s);
      i = stop;
    }
    for (; i < end; ++i) fn(buffer_[i - flushed_]);
  }
  State load(std::uint32_t local) const {
    State out{};
    for_each(local, local + 1, [&](const State& s) { out = s; });
    return out;
  }

 private:
  static std::string error(const char* what) {
    return std::string("fingerprint store: ") + what + ": " + std::strerror(errno);
  }
  void flush() {
    if (buffer_.empty()) return;
    if (file_ == nullptr) {
      file_ = std::tmpfile();
      if (file_ == nullptr) throw LevelFileError(error("cannot create a level file"));
    }
    const char* p = reinterpret_cast<const char*>(buffer_.data());
    std::size_t n = buffer_.size() * sizeof(State);
    off_t at = static_cast<off_t>(flushed_) * static_cast<off_t>(sizeof(State));
    while (n > 0) {
      const ssize_t w = ::pwrite(fileno(file_), p, n, at);
      if (w <= 0) throw LevelFileError(error("cannot write a level file"));
      p += w, n -= static_cast<std::size_t>(w), at += w;
    }
    flushed_ += static_cast<std::uint32_t>(buffer_.size());
    buffer_.clear();
  }
  void read_all(char* p, std::size_t n, off_t at) const {
    while (n > 0) {
      const ssize_t r = ::pread(fileno(file_), p, n, at);
      if (r <= 0) throw LevelFileError(error("cannot read a level file"));
      p += r, n -= static_cast<std::size_t>(r), at += r;
    }
  }

  FingerprintTable table_;
  std::vector<State> buffer_;  // states [flushed_, count_), not yet in the file
  std::uint32_t flushed_ = 0;
  std::size_t count_ = 0;
  std::FILE* file_ = nullptr;
};

}  // namespace mmcheck::engine
