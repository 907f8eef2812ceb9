#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <cstdio>
#include <thread>

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

TEST(AtomicFile, WritesThroughASymlinkToItsTarget) {
    test::TempDir dir;
    std::filesystem::create_directory(dir / "real");
    io::write_file_atomic(dir / "real/out.bin", "old");
    std::filesystem::create_symlink("real/out.bin", dir / "link.bin");
    io::write_file_atomic(dir / "link.bin", "new");
    EXPECT_TRUE(std::filesystem::is_symlink(dir / "link.bin"));
    EXPECT_EQ(test::read_bytes(dir / "real/out.bin"), "new");
    // A dangling link names where the file is to be created.
    std::filesystem::create_symlink("real/fresh.bin", dir / "dangling.bin");
    io::write_file_atomic(dir / "dangling.bin", "fresh");
    EXPECT_TRUE(std::filesystem::is_symlink(dir / "dangling.bin"));
    EXPECT_EQ(test::read_bytes(dir / "real/fresh.bin"), "fresh");
}

TEST(AtomicFile, WritesIntoAFifoInsteadOfReplacingIt) {
    test::TempDir dir;
    const auto fifo = dir / "pipe";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    std::string received;
    std::thread reader([&] { received = test::read_bytes(fifo); });
    io::write_file_atomic(fifo, "through the pipe");
    reader.join();
    EXPECT_EQ(received, "through the pipe");
    EXPECT_TRUE(std::filesystem::is_fifo(fifo));
    EXPECT_TRUE(io::is_special_output(fifo));
}

TEST(AtomicFile, WritesIntoACharacterDeviceInsteadOfReplacingIt) {
    // A null device made in a temp folder (root only), never the real /dev/null.
    test::TempDir dir;
    const auto device = dir / "null";
    if (::mknod(device.c_str(), S_IFCHR | 0666, makedev(1, 3)) != 0) GTEST_SKIP() << "mknod needs root";
    io::write_file_atomic(device, "discarded");
    EXPECT_TRUE(std::filesystem::is_character_file(device));
    EXPECT_TRUE(io::is_special_output(device));
    std::filesystem::create_symlink("null", dir / "link");
    io::write_file_atomic(dir / "link", "discarded");
    EXPECT_TRUE(std::filesystem::is_character_file(device));
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), std::filesystem::directory_iterator{}), 2);
}

TEST(AtomicFile, AFullDeviceIsAnErrorNotAReplacement) {
    // As `--raw /dev/full`, on a full device made in a temp folder (root only).
    test::TempDir dir;
    const auto device = dir / "full";
    if (::mknod(device.c_str(), S_IFCHR | 0666, makedev(1, 7)) != 0) GTEST_SKIP() << "mknod needs root";
    try {
        io::write_file_atomic(device, "no room");
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("No space left on device"), std::string::npos) << e.what();
    }
    EXPECT_TRUE(std::filesystem::is_character_file(device));
}

TEST(SharedData, MissingSharedDataIsOneMessageNamingIt) {
    // Tests that need ../shared skip with this message when it is absent (EARSHOT_NEEDS_SHARED).
    const std::string why = test::shared_missing_reason("/nonexistent/shared");
    EXPECT_NE(why.find("/nonexistent/shared"), std::string::npos) << why;
    EXPECT_NE(why.find("../shared"), std::string::npos) << why;
    if (std::filesystem::exists(test::golden_dir())) {
        EXPECT_EQ(test::shared_missing_reason(), "");
    }
}

TEST(AtomicFile, DashAndDevStdoutWriteIntoTheOpenDescriptor) {
    EXPECT_EQ(io::resolve_output_path("-"), "/dev/stdout");
    EXPECT_TRUE(io::is_special_output("-"));
    EXPECT_TRUE(io::is_special_output("/dev/stdout"));
    ::testing::internal::CaptureStdout();
    std::fflush(stdout);
    io::write_file_atomic("-", "to stdout, ");
    io::write_file_atomic("/dev/stdout", "and again");
    // Written into descriptor 1 at its position: the second write does not truncate the first.
    EXPECT_EQ(::testing::internal::GetCapturedStdout(), "to stdout, and again");
    EXPECT_TRUE(std::filesystem::is_symlink("/dev/stdout"));
}

TEST(AtomicFile, AFolderIsNotAnOutputFile) {
    test::TempDir dir;
    std::filesystem::create_directory(dir / "sub");
    EXPECT_THROW(io::write_file_atomic(dir / "sub", "x"), Error);
    EXPECT_TRUE(std::filesystem::is_directory(dir / "sub"));
}
