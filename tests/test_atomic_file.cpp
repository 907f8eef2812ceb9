#include <gtest/gtest.h>

#include "host/error.hpp"
#include "host/io/atomic_file.hpp"
#include "support.hpp"

using namespace earshot;

TEST(AtomicFile, WritesAndReplaces) {
    test::TempDir dir;
    io::write_file_atomic(dir / "out.bin", "first");
    io::write_file_atomic(dir / "out.bin", "second");
    EXPECT_EQ(test::read_bytes(dir / "out.bin"), "second");
    // Nothing but the target is left behind.
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), std::filesystem::directory_iterator{}), 1);
}

TEST(AtomicFile, FailedWriteKeepsTheOldFile) {
    test::TempDir dir;
    io::write_file_atomic(dir / "keep.bin", "old");
    EXPECT_THROW(io::replace_file_atomically(dir / "keep.bin",
                                             [](const std::filesystem::path& temp) {
                                                 test::write_bytes(temp, "half-writ");
                                                 throw Error("interrupted");
                                             }),
                 Error);
    EXPECT_EQ(test::read_bytes(dir / "keep.bin"), "old");
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), std::filesystem::directory_iterator{}), 1);
}

TEST(AtomicFile, MissingFolderIsAClearError) {
    test::TempDir dir;
    try {
        io::write_file_atomic(dir / "no/such/folder/x.bin", "data");
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("does not exist"), std::string::npos) << e.what();
    }
}
