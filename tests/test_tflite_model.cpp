// .tflite reading and writing: the reference tutorial's model, round trips, and every kind
// of malformed file we can make.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "host/error.hpp"
#include "host/model/summary.hpp"
#include "host/model/tflite_operators.hpp"
#include "host/model/tflite_reader.hpp"
#include "host/model/tflite_writer.hpp"
#include "support.hpp"
#include "tflite_subset_generated.h"

using namespace earshot;
using namespace earshot::model;

namespace {

std::filesystem::path fixture() { return test::reference_model(); }

std::vector<uint8_t> fixture_bytes() {
    const std::string s = test::read_bytes(fixture());
    return {s.begin(), s.end()};
}

std::string error_of(const std::vector<uint8_t>& bytes) {
    try {
        read_tflite(bytes, "m.tflite");
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(TfliteReader, LoadsTheReferenceTutorialModel) {
    EARSHOT_NEEDS_SHARED();
    const Graph g = load_tflite(fixture());
    ASSERT_EQ(g.ops.size(), 6u);
    const OpKind expected[] = {OpKind::resize_nearest_neighbor, OpKind::conv_2d, OpKind::max_pool_2d,
                               OpKind::reshape, OpKind::fully_connected, OpKind::logistic};
    for (size_t i = 0; i < 6; ++i) EXPECT_EQ(g.ops[i].kind, expected[i]) << i;
    EXPECT_TRUE(g.ops[0].options.half_pixel_centers);
    EXPECT_FALSE(g.ops[0].options.align_corners);
    EXPECT_EQ(g.ops[1].options.stride_w, 2);
    EXPECT_EQ(g.ops[1].options.padding, Padding::valid);
    EXPECT_EQ(g.ops[1].options.activation, Activation::relu);
    EXPECT_EQ(g.ops[2].options.filter_w, 2);

    const Tensor& input = g.tensors[static_cast<size_t>(g.inputs.at(0))];
    EXPECT_EQ(input.type, DType::int8);
    EXPECT_EQ(input.shape, (std::vector<int32_t>{1, 124, 129, 1}));
    EXPECT_FLOAT_EQ(input.quant.scale.at(0), 0.4433823525905609f);
    EXPECT_EQ(input.quant.zero_point.at(0), -128);

    const Tensor& weights = g.tensors[static_cast<size_t>(g.ops[1].inputs[1])];
    EXPECT_EQ(weights.shape, (std::vector<int32_t>{8, 8, 8, 1}));
    EXPECT_EQ(weights.data.size(), 512u);
    EXPECT_EQ(weights.quant.scale.size(), 8u);
    EXPECT_EQ(weights.quant.axis, 0);
    for (auto z : weights.quant.zero_point) EXPECT_EQ(z, 0);

    const MemoryEstimate mem = estimate_memory(g);
    EXPECT_EQ(mem.weight_bytes, 512 + 32 + 288 + 4 + 8 + 8);
    // Input (15996) and resize output (1024) are alive together at the first op.
    EXPECT_EQ(mem.peak_live_bytes, 15996 + 1024);
}

TEST(TfliteWriter, RoundTripKeepsEverything) {
    EARSHOT_NEEDS_SHARED();
    const Graph original = load_tflite(fixture());
    const std::vector<uint8_t> written = write_tflite(original);
    const Graph reread = read_tflite(written, "rewritten");
    EXPECT_EQ(reread, original);
    EXPECT_EQ(write_tflite(reread), written) << "writing is deterministic";
}

TEST(TfliteWriter, SaveIsAtomicAndLoadable) {
    EARSHOT_NEEDS_SHARED();
    test::TempDir dir;
    save_tflite(dir / "m.tflite", load_tflite(fixture()));
    EXPECT_EQ(load_tflite(dir / "m.tflite").ops.size(), 6u);
}

TEST(TfliteReader, EveryTruncationIsAClearError) {
    EARSHOT_NEEDS_SHARED();
    const auto bytes = fixture_bytes();
    for (size_t n = 0; n < bytes.size(); ++n) {
        const std::vector<uint8_t> cut(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
        const std::string e = error_of(cut);
        ASSERT_FALSE(e.empty()) << "a " << n << "-byte prefix was accepted";
        ASSERT_EQ(e.rfind("m.tflite: ", 0), 0u) << e;
    }
}

TEST(TfliteReader, WrongMagicAndBadRootOffset) {
    EARSHOT_NEEDS_SHARED();
    auto bytes = fixture_bytes();
    auto magic = bytes;
    magic[4] = 'X';
    EXPECT_NE(error_of(magic).find("no TFL3 identifier"), std::string::npos) << error_of(magic);
    auto root = bytes;
    root[0] = 0xF0;  // root table offset far past the end
    root[1] = 0xFF;
    EXPECT_NE(error_of(root).find("corrupt flatbuffer"), std::string::npos) << error_of(root);
}

// Random damage must give either a valid graph or an Error, never a crash (ASan watches).
TEST(TfliteReader, ByteFlipsNeverCrash) {
    EARSHOT_NEEDS_SHARED();
    const auto bytes = fixture_bytes();
    std::mt19937 rng(11);
    std::uniform_int_distribution<size_t> pos(0, bytes.size() - 1);
    std::uniform_int_distribution<int> val(0, 255);
    int rejected = 0;
    for (int trial = 0; trial < 3000; ++trial) {
        auto damaged = bytes;
        for (int k = 0; k < 1 + trial % 4; ++k) damaged[pos(rng)] = static_cast<uint8_t>(val(rng));
        if (!error_of(damaged).empty()) ++rejected;
    }
    EXPECT_GT(rejected, 0);
}

TEST(TfliteReader, SemanticChecksNameTheProblem) {
    EARSHOT_NEEDS_SHARED();
    const Graph good = load_tflite(fixture());
    struct Case {
        const char* expect;
        void (*mutate)(Graph&);
    } cases[] = {
        {"bytes of data, its shape needs", [](Graph& g) { g.tensors[3].data.pop_back(); }},
        {"is not a positive number", [](Graph& g) { g.tensors[0].quant.scale[0] = -1.0f; }},
        {"outside the int8 range", [](Graph& g) { g.tensors[0].quant.zero_point[0] = 200; }},
        {"per-channel scales for", [](Graph& g) { g.tensors[3].quant.scale.pop_back(); g.tensors[3].quant.zero_point.pop_back(); }},
        {"refers to tensor 99", [](Graph& g) { g.ops[2].inputs[0] = 99; }},
        {"subgraph output refers to tensor", [](Graph& g) { g.outputs[0] = 1000; }},
        {"negative dimension", [](Graph& g) { g.tensors[6].shape[1] = -13; }},
        {"has stride_w 0", [](Graph& g) { g.ops[1].options.stride_w = 0; }},
        {"version 9; earshot supports up to 5", [](Graph& g) { g.ops[1].version = 9; }},
    };
    for (const auto& c : cases) {
        Graph g = good;
        c.mutate(g);
        const std::string e = error_of(write_tflite(g));
        EXPECT_NE(e.find(c.expect), std::string::npos) << "expected '" << c.expect << "', got '" << e << "'";
    }
}

TEST(TfliteReader, UnsupportedAndCustomOperators) {
    namespace fb = earshot::tflite;
    auto build = [](int32_t builtin, const char* custom) {
        flatbuffers::FlatBufferBuilder b;
        const int32_t shape[] = {1, 4};
        auto t0 = fb::CreateTensor(b, b.CreateVector(shape, 2), fb::TensorType_FLOAT32, 0, b.CreateString("x"));
        auto t1 = fb::CreateTensor(b, b.CreateVector(shape, 2), fb::TensorType_FLOAT32, 0, b.CreateString("y"));
        const int32_t in[] = {0}, out[] = {1};
        auto op = fb::CreateOperator(b, 0, b.CreateVector(in, 1), b.CreateVector(out, 1));
        auto code = fb::CreateOperatorCode(b, static_cast<int8_t>(builtin < 127 ? builtin : 127), custom ? b.CreateString(custom) : 0, 1,
                                           static_cast<fb::BuiltinOperator>(builtin));
        flatbuffers::Offset<fb::Tensor> tensors[] = {t0, t1};
        auto sg = fb::CreateSubGraph(b, b.CreateVector(tensors, 2), b.CreateVector(in, 1), b.CreateVector(out, 1), b.CreateVector(&op, 1));
        auto buf = fb::CreateBuffer(b);
        fb::FinishModelBuffer(b, fb::CreateModel(b, 3, b.CreateVector(&code, 1), b.CreateVector(&sg, 1), 0, b.CreateVector(&buf, 1)));
        return std::vector<uint8_t>(b.GetBufferPointer(), b.GetBufferPointer() + b.GetSize());
    };
    EXPECT_NE(error_of(build(28, nullptr)).find("builtin operator 28, which earshot does not support"), std::string::npos);  // TANH
    EXPECT_NE(error_of(build(32, "MyOp")).find("custom operator 'MyOp'"), std::string::npos);
    EXPECT_NE(error_of(build(150, nullptr)).find("builtin operator 150"), std::string::npos);  // beyond the byte field
}

TEST(TfliteReader, MissingFileAndFolder) {
    test::TempDir dir;
    EXPECT_THROW(load_tflite(dir / "none.tflite"), Error);
    EXPECT_THROW(load_tflite(dir.path()), Error);
}

// Found by the fuzzer: an int64 zero-point vector placed 4 bytes off its natural alignment
// passes flatbuffers' verifier; reading it must not load through a misaligned pointer (UBSan
// in the asan preset checks this).
TEST(TfliteReader, MisalignedInt64VectorIsReadSafely) {
    namespace fb = earshot::tflite;
    bool misaligned_seen = false;
    for (int pad = 0; pad < 8; ++pad) {
        flatbuffers::FlatBufferBuilder b;
        const float scale[] = {0.5f};
        const int64_t zp[] = {-7};
        // Build the zero-point vector by hand with only 4-byte alignment.
        b.StartVector(1, sizeof(int32_t));
        b.PushBytes(reinterpret_cast<const uint8_t*>(zp), sizeof zp);
        const auto zp_vec = flatbuffers::Offset<flatbuffers::Vector<int64_t>>(b.EndVector(1));
        // Built later, so it sits before the vector and shifts the vector's distance from the start.
        b.CreateString(std::string(static_cast<size_t>(pad), 'p'));
        const auto quant = fb::CreateQuantizationParameters(b, 0, 0, b.CreateVector(scale, 1), zp_vec);
        const int32_t shape[] = {1, 4};
        auto t0 = fb::CreateTensor(b, b.CreateVector(shape, 2), fb::TensorType_INT8, 0, b.CreateString("x"), quant);
        auto t1 = fb::CreateTensor(b, b.CreateVector(shape, 2), fb::TensorType_INT8, 0, b.CreateString("y"), quant);
        const int32_t in[] = {0}, out[] = {1};
        auto op = fb::CreateOperator(b, 0, b.CreateVector(in, 1), b.CreateVector(out, 1));
        auto code = fb::CreateOperatorCode(b, 14, 0, 1, fb::BuiltinOperator_LOGISTIC);
        flatbuffers::Offset<fb::Tensor> tensors[] = {t0, t1};
        auto sg = fb::CreateSubGraph(b, b.CreateVector(tensors, 2), b.CreateVector(in, 1), b.CreateVector(out, 1), b.CreateVector(&op, 1));
        auto buf = fb::CreateBuffer(b);
        fb::FinishModelBuffer(b, fb::CreateModel(b, 3, b.CreateVector(&code, 1), b.CreateVector(&sg, 1), 0, b.CreateVector(&buf, 1)));
        const std::vector<uint8_t> bytes(b.GetBufferPointer(), b.GetBufferPointer() + b.GetSize());
        const auto* zp_data = fb::GetModel(bytes.data())->subgraphs()->Get(0)->tensors()->Get(0)->quantization()->zero_point()->Data();
        misaligned_seen |= (zp_data - bytes.data()) % 8 != 0;
        const Graph g = read_tflite(bytes, "m.tflite");
        EXPECT_EQ(g.tensors[0].quant.zero_point, std::vector<int64_t>{-7}) << "pad " << pad;
    }
    EXPECT_TRUE(misaligned_seen) << "the test must build at least one misaligned int64 vector";
}

TEST(TfliteOperators, EveryOpKindHasExactlyOneRow) {
    for (int k = 0; k <= static_cast<int>(OpKind::quantize); ++k) {
        int rows = 0;
        for (const auto& op : kTfliteOperators) rows += op.kind == static_cast<OpKind>(k);
        EXPECT_EQ(rows, 1) << op_name(static_cast<OpKind>(k));
        EXPECT_EQ(find_operator(find_operator(static_cast<OpKind>(k)).code)->kind, static_cast<OpKind>(k));
    }
}
