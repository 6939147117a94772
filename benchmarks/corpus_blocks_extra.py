"""Keras building blocks, part 4: the whole training pipeline, plus callbacks/layers, plots and ``main``."""

from __future__ import annotations

from corpus_blocks import Ctx, dd, doc, ind, module_docstring
from corpus_blocks_keras import pick_data
from corpus_blocks_model import build_model, choose_head
from corpus_blocks_train import (
    callbacks,
    compile_call,
    evaluate_lines,
    fit_call,
    math_ns,
    optimizer,
    tape_loop,
)


def pipeline(ctx: Ctx) -> str:
    """Data → model → compile → fit (or a GradientTape loop) → evaluate, as functions or as a script."""
    ctx.pipelines += 1
    data = pick_data(ctx)
    head = choose_head(ctx, data)
    base = data.desc.split()[0].replace("-", "_").lower()
    name = ctx.choice((f"{base}_model", f"{base}_net", f"{base}_classifier" if head.task != "regression"
                       else f"{base}_regressor"))
    model_text, builder, is_rnn = build_model(ctx, data, head, name)
    loss, metrics = head.loss, list(head.metrics)
    suitable = [n for n, task in ctx.custom_losses if task == head.task]
    if suitable and ctx.chance(0.6):
        loss = ctx.choice(suitable)
    extra = [n for n, task in ctx.custom_metrics if task == head.task]
    if extra and ctx.chance(0.6):
        metrics.append(ctx.choice(extra))
    epochs_c = ctx.fresh("EPOCHS", "NUM_EPOCHS", "N_EPOCHS")
    batch_c = ctx.fresh("BATCH_SIZE", "BATCH", "BS")
    constants = (f"{epochs_c} = {ctx.choice((5, 10, 15, 20, 30, 50, 100))}\n"
                 f"{batch_c} = {ctx.choice((16, 32, 64, 128, 256))}\n")
    as_functions = ctx.chance(0.6)
    epochs, batch = ("epochs", "batch_size") if as_functions else (epochs_c, batch_c)
    model = ctx.choice(("model", "model", "net")) if as_functions else ctx.fresh("model", "net", "clf")

    body = f"{model} = {builder}\n"
    opt_pre, opt = optimizer(ctx, is_rnn)
    use_tape = ctx.chance(0.15)
    history = None
    if use_tape:
        body += opt_pre + tape_loop(ctx, model, data, head, opt, epochs, batch)
    else:
        monitor = ctx.choice(("val_loss", "val_loss", "loss"))
        cb_text, cb_name = callbacks(ctx, monitor)
        body += opt_pre + compile_call(ctx, model, opt, loss, metrics) + cb_text
        fit_text, history = fit_call(ctx, model, data, epochs, batch, cb_name)
        body += fit_text
        if ctx.plotter and ctx.chance(0.6):
            body += f"{ctx.plotter}({history})\n"
    if use_tape:
        weights = ctx.choice(("weights.h5", "final.weights.h5", "checkpoints/last.weights.h5"))
        body += f'{model}.save_weights("{weights}")\n'
    else:
        body += evaluate_lines(ctx, model, data, head)

    if not as_functions:
        return constants + "\n\n" + model_text + "\n\n" + comment_line(ctx, data) + data.code + "\n" + body

    loader = ctx.fresh(f"load_{base}_data", f"load_{base}", "load_data", "get_data")
    xtr, ytr, xte, yte = data.names
    if data.train_ds:
        ret, unpack = f"{data.train_ds}, {data.val_ds}", f"{data.train_ds}, {data.val_ds}"
    else:
        ret = unpack = f"({xtr}, {ytr}), ({xte}, {yte})"
    load_fn = dd(f"""
        def {loader}():
            #@D
    """) + ind(data.code) + f"    return {ret}\n"
    load_fn = doc(load_fn, "D", ctx, f"Load the {data.desc} and return train and test splits.", 0.6)
    train = ctx.fresh(f"train_{base}", "train", "run_training", "train_and_evaluate")
    result = f"{model}, {history}" if history else model
    train_fn = (f"def {train}({epochs}={epochs_c}, {batch}={batch_c}):\n"
                + ind(f"{unpack} = {loader}()\n" + body + f"return {result}\n"))
    ctx.entry_points.append((train, f"{epochs}=args.epochs, {batch}=args.batch_size"))
    return "\n\n\n".join((constants.rstrip("\n"), load_fn.rstrip("\n"), model_text.rstrip("\n"),
                          train_fn.rstrip("\n"))) + "\n"


def comment_line(ctx: Ctx, data) -> str:  # noqa: ANN001
    if ctx.chance(0.5):
        return f"# --- {data.desc}: load and prepare ---\n"
    return ""


def plot_history(ctx: Ctx) -> str:
    ctx.imp("import matplotlib.pyplot as plt")
    name = ctx.fresh("plot_history", "plot_training_curves", "show_history")
    ctx.plotter = name
    metric = ctx.choice(("accuracy", "mae", "loss"))
    text = dd(f"""
        def {name}(history, path=None, metric="{metric}"):
            #@D
            values = history.history
            fig, axes = plt.subplots(1, 2, figsize=({ctx.choice((10, 12, 14))}, {ctx.choice((4, 5))}))
            axes[0].plot(values["loss"], label="train")
            if "val_loss" in values:
                axes[0].plot(values["val_loss"], label="validation")
            axes[0].set_title("loss")
            axes[0].set_xlabel("epoch")
            axes[0].legend()
            if metric in values:
                axes[1].plot(values[metric], label="train")
                if "val_" + metric in values:
                    axes[1].plot(values["val_" + metric], label="validation")
                axes[1].set_title(metric)
                axes[1].legend()
            fig.tight_layout()
            if path:
                fig.savefig(path, dpi={ctx.choice((100, 120, 150))})
            else:
                plt.show()
            plt.close(fig)
    """)
    return doc(text, "D", ctx, "Plot training and validation curves from a History object.")


def custom_callback(ctx: Ctx) -> str:
    cls = ctx.cname(ctx.choice(("Loss", "Metrics", "Progress", "Nan")), ctx.choice(("Logger", "Monitor", "Printer")))
    base = ctx.ref("callbacks", "Callback")
    np = ctx.np()
    return dd(f"""
        class {cls}({base}):
            def __init__(self, every={ctx.choice((1, 5, 10))}):
                super().__init__()
                self.every = every
                self.losses = []

            def on_epoch_end(self, epoch, logs=None):
                logs = logs or {{}}
                loss = logs.get("loss")
                self.losses.append(loss)
                if loss is not None and not {np}.isfinite(loss):
                    print(f"epoch {{epoch}}: loss is {{loss}}, stopping")
                    self.model.stop_training = True
                elif epoch % self.every == 0:
                    shown = ", ".join(f"{{k}}={{v:.4f}}" for k, v in sorted(logs.items()))
                    print(f"epoch {{epoch}}: {{shown}}")
    """)


def custom_layer(ctx: Ctx) -> str:
    m = math_ns(ctx)
    cls = ctx.cname(ctx.choice(("Scaled", "Gated", "Residual", "Norm")), ctx.choice(("Dense", "Block", "Layer")))
    base = ctx.ref("layers", "Layer")
    dense = ctx.L("Dense")
    units = ctx.choice((32, 64, 128))
    return dd(f"""
        class {cls}({base}):
            def __init__(self, units={units}, **kwargs):
                super().__init__(**kwargs)
                self.units = units
                self.proj = {dense}(units)
                self.gate = {dense}(units, activation="sigmoid")

            def call(self, inputs):
                h = self.proj(inputs)
                norm = {m.sqrt}({m.mean}({m.square}(h), axis=-1, keepdims=True) + {m.eps})
                return self.gate(inputs) * h / norm

            def get_config(self):
                config = super().get_config()
                config.update({{"units": self.units}})
                return config
    """)


def tfdata_files(ctx: Ctx) -> str:
    tf = ctx.tf()
    fn = ctx.fresh("make_image_dataset", "image_pipeline", "files_to_dataset")
    size = ctx.choice((64, 96, 128, 160, 224))
    scale = "" if ctx.bug(0.25, "unscaled-images") else " / 255.0"
    text = dd(f"""
        IMAGE_SIZE = ({size}, {size})


        def decode_image(path, label):
            raw = {tf}.io.read_file(path)
            image = {tf}.image.decode_jpeg(raw, channels=3)
            image = {tf}.image.resize(image, IMAGE_SIZE)
            return {tf}.cast(image, {tf}.float32){scale}, label


        def {fn}(paths, labels, batch_size=32, training=False):
            #@D
            dataset = {tf}.data.Dataset.from_tensor_slices((paths, labels))
            if training:
                dataset = dataset.shuffle(len(paths), seed={ctx.randint(0, 99)})
            dataset = dataset.map(decode_image, num_parallel_calls={tf}.data.AUTOTUNE)
            return dataset.batch(batch_size).prefetch({tf}.data.AUTOTUNE)
    """)
    return doc(text, "D", ctx, "A batched, prefetched dataset of (image, label) pairs.")


def main_block(ctx: Ctx, extras: list[str]) -> str:
    ctx.std("argparse")
    desc = f"Train the {ctx.project} models." if ctx.entry_points else f"{ctx.project} utilities."
    args = [f'parser.add_argument("--epochs", type=int, default={ctx.choice((5, 10, 20))})',
            f'parser.add_argument("--batch-size", type=int, default={ctx.choice((32, 64, 128))})',
            'parser.add_argument("--output", default="out", help="where to write results")',
            'parser.add_argument("--verbose", action="store_true")']
    if ctx.chance(0.5):
        args.append(f'parser.add_argument("--seed", type=int, default={ctx.randint(0, 100)})')
    calls = [f"{fn}({call_args})" for fn, call_args in ctx.entry_points] or ['print("nothing to do")']
    calls = extras + calls
    arg_lines = "".join(f"{a}\n" for a in args)
    text = (
        "def parse_args(argv=None):\n"
        + ind(f'parser = argparse.ArgumentParser(description="{desc}")\n' + arg_lines
              + "return parser.parse_args(argv)\n")
        + "\n\ndef main(argv=None):\n"
        + ind("args = parse_args(argv)\n" + "".join(f"{c}\n" for c in calls))
        + '\n\nif __name__ == "__main__":\n    main()\n'
    )
    return text


def header(ctx: Ctx, what: str) -> str:
    shebang = "#!/usr/bin/env python\n" if ctx.chance(0.2) else ""
    coding = "# -*- coding: utf-8 -*-\n" if ctx.chance(0.1) else ""
    return shebang + coding + module_docstring(ctx, what)


def seed_everything(ctx: Ctx) -> str:
    ctx.std("random")
    np = ctx.np()
    fn = ctx.fresh("set_seed", "seed_everything", "fix_seeds")
    lines = ["random.seed(seed)", f"{np}.random.seed(seed)"]
    if not ctx.plain:
        if ctx.chance(0.5):
            lines.append(f"{ctx.tf()}.random.set_seed(seed)")
        elif ctx.style.ops:
            lines.append("keras.utils.set_random_seed(seed)")
    ctx.std("os")
    lines.insert(0, 'os.environ["PYTHONHASHSEED"] = str(seed)')
    return f"def {fn}(seed={ctx.randint(0, 2024)}):\n" + ind("\n".join(lines) + "\n")


