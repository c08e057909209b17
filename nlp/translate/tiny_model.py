"""Builds a tiny but real CTranslate2 translation model (tests and bench/pipeline_bench.py).

No training and no download: the weights are set by hand so the Transformer copies its input
token by token (cross-attention peaks on the source position equal to the decoder position,
the attended token's embedding wins the output projection). The result behaves like a real
model to every engine code path (SentencePiece, batching, beam search, target prefixes,
threads) while its output is predictable, so tests can assert exact text.

`token_map` turns the copy into a token-level "translation" (source piece -> target piece), which
is how tests make a model that mangles a placeholder or renders one word differently.

Layouts written (the catalog must load all of them):
- "ct2": model.bin + vocabulary + source.spm/target.spm + metadata.json
- "argos": metadata.json + model/ (CTranslate2 dir) + sentencepiece.model
- multilingual (pass `languages`): "ct2" layout with language tokens `__xx__` in the vocabulary
  and a metadata file that asks for source and target prefix tokens (M2M-100 style).
"""

import json
import random
import shutil
import string
from pathlib import Path

import numpy as np
import sentencepiece as spm
from ctranslate2.specs import transformer_spec

# The characters every tiny SentencePiece model knows (tests write their texts from these).
_ZH_WORDS = (
    "您好 谢谢 请问 订单 发货 物流 退款 轴承 电容 电机 减速机 充电器 主板 螺丝 齿轮 包装 "
    "客户 产品 质量 问题 已经 我们 你们 这个 设备 坏了 更换 尽快 检查 联系 售后 服务 快递 "
    "单号 价格 型号 支持 保修 明天 今天 收到 没有 需要 可以 一下 什么 时候 地址 电话 邮件"
)
# Common characters, so tests and other engineers' fixtures can write ordinary Chinese.
_ZH_CHARS = (
    "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么"
    "心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现"
    "分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位"
    "因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师"
    "书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及"
    "今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请百技术货款单价格型号质量轴承电"
    "容阻压池源线板屏幕键盘鼠标耳充器芯片驱固件螺丝钉齿轮箱减速泵阀门密封圈液缸轴联传送带焊锯刀具包装箱袋盒瓶"
    "盖杯锅塑料布料棉皮革缝纫拉链纽扣鞋帽玩具家具灯饰陶瓷玻璃纸快递物流退换修保坏损裂漏响慢热冷湿吗呢吧啊哦嗯"
)
_EN_WORDS = (
    "hello thanks please order shipped logistics refund bearing capacitor motor gearbox charger "
    "mainboard screw gear package customer product quality problem already we you this device "
    "broken replace soon check contact service express number price model support warranty"
)
_PUNCT = "，。！？：；、,.!?:;-/()#@&%$¥€*+=_'\"<>[]"


def _corpus(seed: int = 7, lines: int = 400) -> list[str]:
    rng = random.Random(seed)
    zh = _ZH_WORDS.split()
    en = _EN_WORDS.split()
    alnum = string.ascii_letters + string.digits
    out: list[str] = []
    for i in range(lines):
        parts: list[str] = []
        for _ in range(rng.randint(3, 10)):
            roll = rng.random()
            if roll < 0.45:
                parts.append(rng.choice(zh))
            elif roll < 0.75:
                parts.append(" " + rng.choice(en) + " ")
            elif roll < 0.9:
                parts.append("".join(rng.choice(alnum) for _ in range(rng.randint(1, 6))))
            else:
                parts.append(rng.choice(_PUNCT))
        out.append("".join(parts).strip() or str(i))
    out.extend(_ZH_CHARS[i:i + 20] for i in range(0, len(_ZH_CHARS), 20))
    # Every ASCII letter, digit and punctuation mark in isolation so each is one known piece.
    out.extend(" ".join(alnum[i:i + 8]) for i in range(0, len(alnum), 8))
    out.append(" ".join(_PUNCT))
    return out


def train_tiny_spm(prefix: Path, vocab_size: int = 600, seed: int = 7, byte_fallback: bool = False,
                   lines: list[str] | None = None) -> Path:
    """Trains a tiny SentencePiece model on generated lines; returns the `.model` path.

    Without byte fallback, characters outside the generated corpus encode as `<unk>` (and come
    back as `<unk>`); byte fallback adds 256 pieces, which makes every model several MB larger.
    `lines` replaces the generated corpus: a model that knows one language's words cuts its
    text into a few pieces per word, as a real model's vocabulary does (the pipeline benchmark).
    """
    prefix.parent.mkdir(parents=True, exist_ok=True)
    corpus = prefix.with_suffix(".txt")
    corpus.write_text("\n".join(lines if lines is not None else _corpus(seed)) + "\n", encoding="utf-8")
    spm.SentencePieceTrainer.train(
        input=str(corpus), model_prefix=str(prefix), vocab_size=vocab_size, model_type="unigram",
        character_coverage=1.0, byte_fallback=byte_fallback, normalization_rule_name="identity",
        hard_vocab_limit=False, num_threads=1, minloglevel=2,
    )
    corpus.unlink()
    return prefix.with_suffix(".model")


def _position_block(max_len: int, freqs: int) -> np.ndarray:
    # [cos, sin, -cos, -sin] per frequency: every row sums to zero and has the same norm, so the
    # LayerNorms only rescale (no position-dependent shift), and p_t . p_j peaks sharply at j == t.
    # Square-root spacing keeps the frequencies incommensurate: with evenly spaced ones (pi*k/F)
    # the block repeats every 2F positions and a longer input was copied from the wrong place.
    # For F = 48 and |t - j| < 512, sum_k cos(w_k (t - j)) stays <= 11.5 against 48 at j == t.
    positions = np.arange(max_len)[:, None]
    omega = np.pi * np.sqrt((np.arange(1, freqs + 1)[None, :] - 0.5) / freqs)
    angle = positions * omega
    return np.concatenate([np.cos(angle), np.sin(angle), -np.cos(angle), -np.sin(angle)], axis=1)


def _copy_spec(vocab: list[str], token_map: dict[str, str],
               freqs: int = 48) -> transformer_spec.TransformerSpec:
    vocab_size = len(vocab)
    pos_dim = 4 * freqs
    d = vocab_size + pos_dim
    d += (-d) % 8
    max_len = 512
    index = {tok: i for i, tok in enumerate(vocab)}

    spec = transformer_spec.TransformerSpec.from_config(1, 1, pre_norm=True)
    f32 = np.float32

    def zeros(*shape: int) -> np.ndarray:
        return np.zeros(shape, dtype=f32)

    def norm(ln: object) -> None:
        ln.gamma = np.ones(d, dtype=f32)  # type: ignore[attr-defined]
        ln.beta = zeros(d)  # type: ignore[attr-defined]

    def dead_ffn(ffn: object) -> None:
        norm(ffn.layer_norm)  # type: ignore[attr-defined]
        ffn.linear_0.weight = zeros(8, d)  # type: ignore[attr-defined]
        ffn.linear_0.bias = zeros(8)  # type: ignore[attr-defined]
        ffn.linear_1.weight = zeros(d, 8)  # type: ignore[attr-defined]
        ffn.linear_1.bias = zeros(d)  # type: ignore[attr-defined]

    def dead_self_attention(att: object) -> None:
        norm(att.layer_norm)  # type: ignore[attr-defined]
        att.linear[0].weight = zeros(3 * d, d)  # type: ignore[attr-defined]
        att.linear[0].bias = zeros(3 * d)  # type: ignore[attr-defined]
        att.linear[1].weight = zeros(d, d)  # type: ignore[attr-defined]
        att.linear[1].bias = zeros(d)  # type: ignore[attr-defined]

    embeddings = zeros(vocab_size, d)
    embeddings[np.arange(vocab_size), np.arange(vocab_size)] = 1.0
    positions = zeros(max_len, d)
    positions[:, vocab_size:vocab_size + pos_dim] = _position_block(max_len, freqs)

    for side in (spec.encoder, spec.decoder):
        side.scale_embeddings = False
        side.position_encodings.encodings = positions
        norm(side.layer_norm)
    spec.encoder.embeddings[0].weight = embeddings
    spec.decoder.embeddings.weight = embeddings.copy()
    enc_layer = spec.encoder.layer[0]
    dead_self_attention(enc_layer.self_attention)
    dead_ffn(enc_layer.ffn)
    dec_layer = spec.decoder.layer[0]
    dead_self_attention(dec_layer.self_attention)
    dead_ffn(dec_layer.ffn)

    cross = dec_layer.attention
    norm(cross.layer_norm)
    pos = slice(vocab_size, vocab_size + pos_dim)
    query = zeros(d, d)
    query[pos, pos] = 2.0 * np.eye(pos_dim)  # sharp enough that softmax is one-hot on j == t
    key_value = zeros(2 * d, d)
    key_value[pos, pos] = np.eye(pos_dim)
    key_value[d:d + vocab_size, :vocab_size] = 4.0 * np.eye(vocab_size)  # copied token dominates
    out = zeros(d, d)
    mapping = np.eye(vocab_size, dtype=f32)
    for src, tgt in token_map.items():
        i, k = index[src], index[tgt]
        mapping[:, i] = 0.0
        mapping[k, i] = 1.0
    out[:vocab_size, :vocab_size] = mapping
    cross.linear[0].weight = query
    cross.linear[0].bias = zeros(d)
    cross.linear[1].weight = key_value
    cross.linear[1].bias = zeros(2 * d)
    cross.linear[2].weight = out
    cross.linear[2].bias = zeros(d)

    spec.decoder.projection.weight = embeddings.copy()
    spec.decoder.projection.bias = zeros(vocab_size)
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    spec.config.add_source_eos = True  # type: ignore[attr-defined]
    return spec


def build_tiny_model(
    directory: str | Path,
    source: str,
    target: str,
    *,
    layout: str = "ct2",
    languages: list[str] | None = None,
    token_map: dict[str, str] | None = None,
    name: str | None = None,
    spm_model: Path | None = None,
    quantization: str | None = "int8",
    position_freqs: int = 48,
) -> Path:
    """Writes one tiny model folder under `directory` (a models dir) and returns its path.

    `languages` makes it a multilingual model covering every pair of those languages (then
    `source`/`target` only name the folder). `spm_model` reuses an already trained
    SentencePiece model (training takes a fraction of a second, but tests build many models).
    int8 (the default) keeps the folder small; the hand-set weights survive quantization exactly.
    `position_freqs` sets the width of the position block (4 per frequency); fewer make a
    narrower, faster model that still copies exactly (16 suffice for 512 positions).
    """
    directory = Path(directory)
    folder = directory / (name or f"tiny-{source}_{target}")
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    sp_path = spm_model or train_tiny_spm(directory / ".spm" / "tiny")
    sp = spm.SentencePieceProcessor(model_file=str(sp_path))
    vocab = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    lang_tokens = {lang: f"__{lang}__" for lang in languages or []}
    vocab.extend(lang_tokens.values())
    pieces = set(vocab)
    for piece in [*(token_map or {}).keys(), *(token_map or {}).values()]:
        if piece not in pieces:
            raise ValueError(f"token_map piece {piece!r} is not in the tiny vocabulary")
    spec = _copy_spec(vocab, token_map or {}, position_freqs)
    spec.validate()
    spec.optimize(quantization=quantization)  # also wraps the arrays as the variables `save` writes

    if layout == "argos":
        if languages:
            raise ValueError("Argos packages are bilingual")
        (folder / "model").mkdir()
        spec.save(str(folder / "model"))
        shutil.copy(sp_path, folder / "sentencepiece.model")
        metadata: dict[str, object] = {"package_version": "0.0-tiny", "from_code": source, "to_code": target,
                                       "from_name": source, "to_name": target}
    elif layout == "ct2":
        spec.save(str(folder))
        shutil.copy(sp_path, folder / "source.spm")
        shutil.copy(sp_path, folder / "target.spm")
        metadata = {"from_code": source, "to_code": target, "package_version": "0.0-tiny"}
        if languages:
            metadata = {"languages": languages, "lang_tokens": lang_tokens, "package_version": "0.0-tiny"}
    else:
        raise ValueError(f"unknown layout {layout!r}")
    (folder / "metadata.json").write_text(json.dumps(metadata, indent=2), encoding="utf-8")
    return folder
