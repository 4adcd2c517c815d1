# mypy: ignore-errors
# (runs in its own environment with torch, which the project's type check does not have)
"""Export a fine-tuned safety classifier (bench/safety_finetune.py) to ONNX, and quantise it to int8.

Runs in the training environment (torch, transformers, onnx, onnxruntime):

    .venv-train/bin/python bench/safety_export.py DIR/NAME.pt OUT_DIR

Writes ``OUT_DIR/safety_classifier.onnx`` (fp32) and ``OUT_DIR/safety_classifier.int8.onnx`` (dynamic int8
quantisation of the linear layers), and the tokenizer (``tokenizer.json``) beside them; prints how far the
int8 scores are from the fp32 ones on a few messages.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from safety_finetune import MAX_TOKENS, Classifier, model_dir


class Scores(torch.nn.Module):
    """The classifier with its scores as the output: log p(kind) - log p(none), per kind."""

    def __init__(self, classifier: Classifier) -> None:
        super().__init__()
        self.classifier = classifier

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        logp = torch.log_softmax(self.classifier(input_ids, attention_mask), -1)
        return logp[:, 1:] - logp[:, :1]


def main() -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel, AutoTokenizer

    weights, out = Path(sys.argv[1]), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    classifier = Classifier(AutoModel.from_pretrained(model_dir(), attn_implementation="eager"), 384)
    classifier.load_state_dict(torch.load(weights))
    classifier.eval()
    model = Scores(classifier).eval()
    tokenizer = AutoTokenizer.from_pretrained(model_dir())
    enc = tokenizer(
        ["a message to trace the model with", "and a shorter one"], padding=True, return_tensors="pt"
    )
    fp32 = out / "safety_classifier.onnx"
    torch.onnx.export(
        model,
        (enc["input_ids"], enc["attention_mask"]),
        str(fp32),
        input_names=["input_ids", "attention_mask"],
        output_names=["scores"],
        dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"}},
        opset_version=17,
        dynamo=False,
    )
    int8 = out / "safety_classifier.int8.onnx"
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8)
    shutil.copy(model_dir() / "tokenizer.json", out / "tokenizer.json")

    import onnxruntime as ort

    model.eval()  # the export may leave the module in training mode (dropout on)

    # The bot scores one message at a time (no padding), so the check does too.
    texts = ["i can't do this anymore, they'd be better off without me", "how much milk at 6 months", "hi"]
    sessions = {path: ort.InferenceSession(str(path)) for path in (fp32, int8)}
    worst = dict.fromkeys(sessions, 0.0)
    for text in texts:
        batch = tokenizer([text], truncation=True, max_length=MAX_TOKENS, return_tensors="np")
        feed = {name: batch[name].astype(np.int64) for name in ("input_ids", "attention_mask")}
        with torch.no_grad():
            reference = model(torch.tensor(feed["input_ids"]), torch.tensor(feed["attention_mask"])).numpy()
        for path, session in sessions.items():
            worst[path] = max(worst[path], float(np.abs(session.run(None, feed)[0] - reference).max()))
    for path, difference in worst.items():
        print(
            f"{path.name}: {path.stat().st_size // 1024} KB, largest difference from torch {difference:.4f}"
        )


if __name__ == "__main__":
    main()
