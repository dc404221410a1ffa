// safe_output.hpp: every case is provoked for real in a scratch directory (a full disk is
// a character device with /dev/full's numbers made here with mknod; a FIFO has a reader
// thread), and each checks what is on the disk afterwards.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "rubric/rubric.hpp"

namespace fs = std::filesystem;

namespace {

struct scratch {
    fs::path dir;
    scratch() {
        char name[] = "/tmp/rubric-safe-output-XXXXXX";
        REQUIRE(mkdtemp(name));
        dir = name;
    }
    ~scratch() {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
    std::string operator/(const std::string& f) const { return (dir / f).string(); }
    // Every name in the directory, to see that no temporary file is left.
    std::size_t entries() const {
        std::size_t n = 0;
        for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
        return n;
    }
};

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void put(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

std::string error_en(const rubric::localized& e) { return rubric::translate(e, rubric::lang::en); }
std::string error_zh(const rubric::localized& e) { return rubric::translate(e, rubric::lang::zh); }

struct stat stat_of(const std::string& path) {
    struct stat st {};
    REQUIRE(::lstat(path.c_str(), &st) == 0);
    return st;
}

std::uint64_t nonce_counter = 0;
std::uint64_t counting_nonce() { return ++nonce_counter; }

}  // namespace

TEST_CASE("a new file is written whole, with 0666 less the umask, and no temporary file is left") {
    scratch s;
    const mode_t old_mask = ::umask(027);
    {
        rubric::safe_output out(s / "new.csv");
        REQUIRE(out.ok());
        CHECK(out.temporary().find("/.new.csv.rubric-") != std::string::npos);
        CHECK(fs::exists(out.temporary()));
        CHECK_FALSE(fs::exists(s / "new.csv"));  // nothing at the target until commit
        out.write("a,b\r\n");
        out.write(std::string(3u << 20, 'x'));  // past the buffer: written as it goes
        CHECK(out.commit());
        CHECK(out.error().empty());
    }
    ::umask(old_mask);
    CHECK(slurp(s / "new.csv") == "a,b\r\n" + std::string(3u << 20, 'x'));
    CHECK((stat_of(s / "new.csv").st_mode & 07777) == 0640);
    CHECK(s.entries() == 1);
}

TEST_CASE("an existing file keeps its permissions and is replaced, not rewritten in place") {
    scratch s;
    put(s / "out.txt", "old");
    REQUIRE(::chmod((s / "out.txt").c_str(), 0604) == 0);
    const auto before = stat_of(s / "out.txt");
    // A reader holding the old file keeps reading the old bytes.
    std::ifstream reader(s / "out.txt", std::ios::binary);
    rubric::safe_output out(s / "out.txt");
    out.write("new");
    REQUIRE(out.commit());
    const auto after = stat_of(s / "out.txt");
    CHECK((after.st_mode & 07777) == 0604);
    CHECK(after.st_ino != before.st_ino);
    CHECK(slurp(s / "out.txt") == "new");
    std::string old;
    reader >> old;
    CHECK(old == "old");
    CHECK(s.entries() == 1);
}

TEST_CASE("abandon, and destruction without commit, leave the target as it was") {
    scratch s;
    put(s / "out.txt", "old");
    {
        rubric::safe_output out(s / "out.txt");
        out.write("half");
        out.abandon();
        CHECK_FALSE(out.commit());
    }
    {
        rubric::safe_output out(s / "out.txt");
        out.write("half");
    }
    CHECK(slurp(s / "out.txt") == "old");
    CHECK(s.entries() == 1);
}

TEST_CASE("a symbolic link at the target is kept: the file it points to is replaced") {
    scratch s;
    put(s / "real.csv", "old");
    REQUIRE(::chmod((s / "real.csv").c_str(), 0600) == 0);
    fs::create_symlink("real.csv", s / "link.csv");
    rubric::safe_output out(s / "link.csv");
    CHECK(out.target() == s / "real.csv");
    out.write("new");
    REQUIRE(out.commit());
    CHECK(fs::is_symlink(s / "link.csv"));
    CHECK(fs::read_symlink(s / "link.csv") == "real.csv");
    CHECK(slurp(s / "real.csv") == "new");
    CHECK((stat_of(s / "real.csv").st_mode & 07777) == 0600);
    CHECK(s.entries() == 2);

    // A link to a name that does not exist yet creates that file.
    fs::create_symlink(s / "later.csv", s / "dangling.csv");
    rubric::safe_output out2(s / "dangling.csv");
    out2.write("made");
    REQUIRE(out2.commit());
    CHECK(fs::is_symlink(s / "dangling.csv"));
    CHECK(slurp(s / "later.csv") == "made");
}

TEST_CASE("a symbolic link planted at the temporary name is never followed") {
    scratch s;
    put(s / "victim", "keep me");
    // The first name the output will try (the nonce counts from 1 here).
    nonce_counter = 0;
    const std::string planted = s / (".out.txt.rubric-" + std::to_string(::getpid()) + "-1.tmp");
    fs::create_symlink(s / "victim", planted);
    rubric::safe_output_options o;
    o.next_nonce = counting_nonce;
    rubric::safe_output out(s / "out.txt", o);
    REQUIRE(out.ok());
    CHECK(out.temporary() == s / (".out.txt.rubric-" + std::to_string(::getpid()) + "-2.tmp"));
    out.write("result");
    REQUIRE(out.commit());
    CHECK(slurp(s / "victim") == "keep me");
    CHECK(fs::is_symlink(planted));
    CHECK(slurp(s / "out.txt") == "result");
}

TEST_CASE("a full disk (a device with /dev/full's numbers) is an error naming the path and the reason") {
    scratch s;
    const std::string full = s / "full";
    REQUIRE(::mknod(full.c_str(), S_IFCHR | 0666, makedev(1, 7)) == 0);
    rubric::safe_output out(full);
    REQUIRE(out.ok());
    CHECK(out.temporary().empty());  // a device is written into, not replaced
    out.write("a result");
    CHECK_FALSE(out.commit());
    CHECK(error_en(out.error()) == "cannot write " + full + ": no space left on the device");
    CHECK(error_zh(out.error()) == "无法写入 " + full + "：设备上没有剩余空间");
    CHECK(S_ISCHR(stat_of(full).st_mode));
    CHECK(stat_of(full).st_rdev == makedev(1, 7));
    CHECK(s.entries() == 1);
}

TEST_CASE("a FIFO is written into, not replaced; a reader that goes away is an error, not a crash") {
    scratch s;
    const std::string fifo = s / "pipe";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    std::string got;
    std::thread reader([&] { got = slurp(fifo); });
    {
        rubric::safe_output out(fifo);
        REQUIRE(out.ok());
        out.write("line 1\n");
        out.write("line 2\n");
        CHECK(out.commit());
    }
    reader.join();
    CHECK(got == "line 1\nline 2\n");
    CHECK(S_ISFIFO(stat_of(fifo).st_mode));

    // The reader opens the pipe and closes it before a byte is written: EPIPE.
    std::thread quitter([&] { ::close(::open(fifo.c_str(), O_RDONLY)); });
    rubric::safe_output out(fifo);  // returns once the reader has opened
    quitter.join();
    out.write("nobody reads this");
    CHECK_FALSE(out.commit());
    CHECK(error_en(out.error()) == "cannot write " + fifo + ": the reader closed the pipe");
    CHECK(S_ISFIFO(stat_of(fifo).st_mode));
}

TEST_CASE("a directory is refused; a missing directory is an error") {
    scratch s;
    fs::create_directory(s / "dir");
    rubric::safe_output out(s / "dir");
    CHECK_FALSE(out.ok());
    CHECK(error_en(out.error()) == "cannot write " + s / "dir" + ": it is a directory");
    CHECK(error_zh(out.error()) == "无法写入 " + s / "dir" + "：它是一个目录");
    CHECK_FALSE(out.commit());
    rubric::safe_output nowhere(s / "no/such/dir/out.csv");
    CHECK_FALSE(nowhere.ok());
    CHECK(error_en(nowhere.error()) == "cannot write " + s / "no/such/dir/out.csv" + ": its directory does not exist");
}

TEST_CASE("a set of outputs is replaced together or not at all") {
    scratch s;
    put(s / "r.md", "old md");
    SUBCASE("one target cannot be written: none is") {
        fs::create_directory(s / "r.csv");
        rubric::safe_output_set set;
        set.add(s / "r.md").write("new md");
        set.add(s / "r.json").write("new json");
        set.add(s / "r.csv").write("new csv");
        CHECK_FALSE(set.ok());
        CHECK_FALSE(set.commit());
        CHECK(error_en(set.error()) == "cannot write " + s / "r.csv" + ": it is a directory");
        CHECK(slurp(s / "r.md") == "old md");
        CHECK_FALSE(fs::exists(s / "r.json"));
        CHECK(s.entries() == 2);
    }
    SUBCASE("a full device among them: its error stops the renames") {
        REQUIRE(::mknod((s / "r.csv").c_str(), S_IFCHR | 0666, makedev(1, 7)) == 0);
        rubric::safe_output_set set;
        set.add(s / "r.md").write("new md");
        set.add(s / "r.csv").write("new csv");
        CHECK_FALSE(set.commit());
        CHECK(error_en(set.error()) == "cannot write " + s / "r.csv" + ": no space left on the device");
        CHECK(slurp(s / "r.md") == "old md");
        CHECK(s.entries() == 2);
    }
    SUBCASE("a rename failing after another succeeded: the first is put back") {
        rubric::safe_output_set set;
        set.add(s / "r.md").write("new md");
        rubric::safe_output& b = set.add(s / "r.json");
        b.write("new json");
        // Provoke the second rename's failure: its temporary file disappears.
        REQUIRE(::unlink(b.temporary().c_str()) == 0);
        CHECK_FALSE(set.commit());
        CHECK(error_en(set.error()).rfind("cannot write " + s / "r.json" + ": ", 0) == 0);
        CHECK(slurp(s / "r.md") == "old md");
        CHECK_FALSE(fs::exists(s / "r.json"));
        CHECK(s.entries() == 1);
    }
    SUBCASE("all fine: all replaced") {
        rubric::safe_output_set set;
        set.add(s / "r.md").write("new md");
        set.add(s / "r.json").write("new json");
        CHECK(set.commit());
        CHECK(slurp(s / "r.md") == "new md");
        CHECK(slurp(s / "r.json") == "new json");
        CHECK(s.entries() == 2);
    }
}

TEST_CASE("remove_output_temporaries() removes the open temporary files (what the signal handler does)") {
    scratch s;
    rubric::safe_output a(s / "a.csv"), b(s / "b.csv");
    a.write("x");
    CHECK(s.entries() == 2);
    rubric::remove_output_temporaries();
    CHECK(s.entries() == 0);
}

TEST_CASE("same_file: one file however it is named; a missing path is no file") {
    scratch s;
    put(s / "q2.csv", "facts");
    fs::create_hard_link(s / "q2.csv", s / "hard.csv");
    fs::create_symlink(s / "q2.csv", s / "soft.csv");
    put(s / "other.csv", "facts");
    CHECK(rubric::same_file(s / "q2.csv", s / "q2.csv"));
    CHECK(rubric::same_file(s / "q2.csv", (s.dir / "." / "q2.csv").string()));
    CHECK(rubric::same_file(s / "q2.csv", s / "hard.csv"));
    CHECK(rubric::same_file(s / "soft.csv", s / "q2.csv"));
    CHECK_FALSE(rubric::same_file(s / "q2.csv", s / "other.csv"));  // same bytes, another file
    CHECK_FALSE(rubric::same_file(s / "missing.csv", s / "missing.csv"));
    const std::vector<std::string> inputs = {s / "r.rubric", s / "q2.csv"};
    REQUIRE(rubric::output_over_input(s / "hard.csv", inputs));
    CHECK(*rubric::output_over_input(s / "hard.csv", inputs) == s / "q2.csv");
    CHECK_FALSE(rubric::output_over_input(s / "new.csv", inputs));
    CHECK_FALSE(rubric::output_over_input("-", {"-"}));
}
