"""Keras building blocks, part 3: custom losses and metrics, optimizers, callbacks, compile/fit, GradientTape.

Custom losses and metrics are written with ``tf.math``, ``keras.ops`` or ``K`` and are clipped (or guarded
with an epsilon) most of the time, and unguarded some of the time.
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus_blocks import Ctx, dd, doc
from corpus_blocks_keras import Data
from corpus_blocks_model import Head


@dataclass
class MathNS:
    log: str
    mean: str
    sum: str
    sqrt: str
    square: str
    eps: str
    clip_fmt: str  # format with x, lo, hi
    pow: str
    abs: str

    def clip(self, x: str) -> str:
        return self.clip_fmt.format(x=x, lo=self.eps, hi=f"1.0 - {self.eps}")


def math_ns(ctx: Ctx) -> MathNS:
    options = ["tf", "tf", "K"] + (["ops", "ops"] if ctx.style.ops else [])
    flavour = ctx.choice(options)
    if flavour == "tf":
        tf = ctx.tf()
        return MathNS(f"{tf}.math.log", f"{tf}.reduce_mean", f"{tf}.reduce_sum", f"{tf}.sqrt", f"{tf}.square",
                      ctx.choice(("1e-7", "1e-7", "1e-6")), tf + ".clip_by_value({x}, {lo}, {hi})",
                      f"{tf}.pow", f"{tf}.abs")
    if flavour == "K":
        K = ctx.backend()
        return MathNS(f"{K}.log", f"{K}.mean", f"{K}.sum", f"{K}.sqrt", f"{K}.square", f"{K}.epsilon()",
                      K + ".clip({x}, {lo}, {hi})", f"{K}.pow", f"{K}.abs")
    ops = ctx.style.ops
    return MathNS(f"{ops}.log", f"{ops}.mean", f"{ops}.sum", f"{ops}.sqrt", f"{ops}.square",
                  ctx.choice(("1e-7", "keras.config.epsilon()")), ops + ".clip({x}, {lo}, {hi})",
                  f"{ops}.power", f"{ops}.abs")


def custom_loss(ctx: Ctx) -> str:
    m = math_ns(ctx)
    clipped = not ctx.bug(0.35, "unclipped-log")
    kind = ctx.choice(("wbce", "focal", "cce", "msle", "rmse"))
    p = m.clip("y_pred") if clipped and kind in ("wbce", "focal", "cce") else "y_pred"
    if kind == "wbce":
        name = ctx.fresh("weighted_binary_crossentropy", "weighted_bce", "bce_loss")
        w = ctx.choice((2.0, 3.0, 5.0, 10.0))
        body = dd(f"""
            def {name}(y_true, y_pred, pos_weight={w}):
                #@D
                y_pred = {p}
                loss = -(pos_weight * y_true * {m.log}(y_pred) + (1.0 - y_true) * {m.log}(1.0 - y_pred))
                return {m.mean}(loss, axis=-1)
        """)
        ctx.custom_losses.append((name, "binary"))
    elif kind == "focal":
        outer = ctx.fresh("focal_loss", "binary_focal_loss", "make_focal_loss")
        name = f"{outer}(gamma={ctx.choice((2.0, 1.5, 3.0))})"
        body = dd(f"""
            def {outer}(gamma=2.0, alpha={ctx.choice((0.25, 0.5, 0.75))}):
                #@D
                def loss(y_true, y_pred):
                    y_pred = {p}
                    p_t = y_true * y_pred + (1 - y_true) * (1 - y_pred)
                    weight = alpha * y_true + (1 - alpha) * (1 - y_true)
                    return {m.mean}(-weight * {m.pow}(1.0 - p_t, gamma) * {m.log}(p_t))

                return loss
        """)
        ctx.custom_losses.append((name, "binary"))
    elif kind == "cce":
        name = ctx.fresh("categorical_loss", "manual_crossentropy", "smoothed_crossentropy")
        smooth = ctx.choice((0.0, 0.05, 0.1))
        body = dd(f"""
            def {name}(y_true, y_pred, smoothing={smooth}):
                #@D
                num_classes = y_true.shape[-1]
                y_true = y_true * (1.0 - smoothing) + smoothing / num_classes
                y_pred = {p}
                return -{m.sum}(y_true * {m.log}(y_pred), axis=-1)
        """)
        ctx.custom_losses.append((name, "multiclass"))
    elif kind == "msle":
        name = ctx.fresh("log_error_loss", "msle_loss", "rmsle")
        guard = "1.0" if clipped else "0.0"
        body = dd(f"""
            def {name}(y_true, y_pred):
                #@D
                first = {m.log}(y_pred + {guard})
                second = {m.log}(y_true + {guard})
                return {m.mean}({m.square}(first - second), axis=-1)
        """)
        ctx.custom_losses.append((name, "regression"))
    else:
        name = ctx.fresh("rmse_loss", "root_mean_squared_error", "rmse")
        inner = f"{m.mean}({m.square}(y_pred - y_true))"
        guarded = f"{inner} + {m.eps}" if clipped else inner
        body = dd(f"""
            def {name}(y_true, y_pred):
                #@D
                return {m.sqrt}({guarded})
        """)
        ctx.custom_losses.append((name, "regression"))
    return doc(body, "D", ctx, "Custom loss used in compile().", 0.5)


def custom_metric(ctx: Ctx) -> str:
    m = math_ns(ctx)
    kind = ctx.choice(("f1", "r2", "dice", "precision"))
    eps = m.eps if not ctx.bug(0.2, "unguarded-division") else "0"
    rnd = {"tf": "tf.round", "K": "K.round"}.get(m.log.split(".")[0], m.log.rsplit(".", 1)[0] + ".round")
    if kind == "f1":
        name = ctx.fresh("f1_score", "f1_metric", "f1_m")
        body = dd(f"""
            def {name}(y_true, y_pred):
                y_pred = {rnd}(y_pred)
                tp = {m.sum}(y_true * y_pred)
                precision = tp / ({m.sum}(y_pred) + {eps})
                recall = tp / ({m.sum}(y_true) + {eps})
                return 2 * precision * recall / (precision + recall + {eps})
        """)
        task = "binary"
    elif kind == "precision":
        name = ctx.fresh("precision_m", "precision_metric")
        body = dd(f"""
            def {name}(y_true, y_pred):
                predicted = {rnd}(y_pred)
                true_positives = {m.sum}(y_true * predicted)
                return true_positives / ({m.sum}(predicted) + {eps})
        """)
        task = "binary"
    elif kind == "r2":
        name = ctx.fresh("r2_score", "r_square", "coeff_determination")
        body = dd(f"""
            def {name}(y_true, y_pred):
                ss_res = {m.sum}({m.square}(y_true - y_pred))
                ss_tot = {m.sum}({m.square}(y_true - {m.mean}(y_true)))
                return 1 - ss_res / (ss_tot + {eps})
        """)
        task = "regression"
    else:
        name = ctx.fresh("dice_coef", "dice_coefficient")
        body = dd(f"""
            def {name}(y_true, y_pred, smooth={ctx.choice(("1.0", "1e-6", "0.0"))}):
                intersection = {m.sum}(y_true * y_pred)
                return (2.0 * intersection + smooth) / ({m.sum}(y_true) + {m.sum}(y_pred) + smooth)
        """)
        task = "binary"
    ctx.custom_metrics.append((name, task))
    return body


# -- optimizer, callbacks ---------------------------------------------------------------------------

_LR = {"Adam": (1e-3, 1e-3, 3e-4, 1e-4, 5e-4, 2e-3), "SGD": (0.01, 0.1, 0.05, 0.001),
       "RMSprop": (1e-3, 1e-4, 2e-4), "Nadam": (2e-3, 1e-3), "Adagrad": (0.01, 0.05), "AdamW": (1e-3, 3e-4)}


def optimizer(ctx: Ctx, is_rnn: bool) -> tuple[str, str]:
    """(statements before compile, optimizer expression)."""
    no_clip = is_rnn and ctx.bug(0.5, "rnn-no-clipnorm")
    if not is_rnn and ctx.chance(0.25):
        return "", f'"{ctx.choice(("adam", "adam", "sgd", "rmsprop", "nadam"))}"'
    if no_clip and ctx.chance(0.4):
        return "", '"adam"'
    kind = ctx.rng.choices(tuple(_LR), weights=(55, 18, 12, 5, 4, 6), k=1)[0]
    if kind == "AdamW" and ctx.style.keras2 > 0.5:
        kind = "Adam"
    lr: object = ctx.choice(_LR[kind])
    if kind == "Adam" and ctx.bug(0.08, "high-lr-adam"):
        lr = ctx.choice((0.1, 0.5, 1.0, 0.3))
    pre = ""
    lr_expr = repr(lr)
    if ctx.chance(0.2):
        sched = ctx.choice(("ExponentialDecay", "ExponentialDecay", "CosineDecay", "PiecewiseConstantDecay",
                            "InverseTimeDecay"))
        name = ctx.choice(("lr_schedule", "schedule", "lr_fn"))
        ref = ctx.ref("schedules", sched)
        steps = ctx.choice((1000, 5000, 10000, 100000))
        if sched == "CosineDecay":
            call = f"{ref}(initial_learning_rate={lr!r}, decay_steps={steps})"
        elif sched == "PiecewiseConstantDecay":
            call = f"{ref}(boundaries=[{steps}, {steps * 2}], values=[{lr!r}, {lr / 10!r}, {lr / 100!r}])"
        else:
            call = f"{ref}(\n    initial_learning_rate={lr!r},\n    decay_steps={steps},\n    decay_rate=" \
                   f"{ctx.choice((0.9, 0.96, 0.5))},\n)"
        pre = f"{name} = {call}\n"
        lr_expr = name
    elif ctx.chance(0.3):
        var = ctx.choice(("lr", "learning_rate", "LR", "LEARNING_RATE", "base_lr"))
        pre = f"{var} = {lr!r}\n"
        lr_expr = var
    args: list[str] = []
    spelling = ctx.rng.random()
    if lr_expr != repr(_LR[kind][0]) or ctx.chance(0.7):
        if ctx.keras2() and "schedule" not in lr_expr and "lr_fn" not in lr_expr:
            args.append(f"lr={lr_expr}")
        elif spelling < 0.2:
            args.append(lr_expr)
        else:
            args.append(f"learning_rate={lr_expr}")
    if kind == "SGD" and ctx.chance(0.7):
        args.append(f"momentum={ctx.choice((0.9, 0.9, 0.95, 0.99))}")
        if ctx.chance(0.4):
            args.append("nesterov=True")
    if kind == "Adam" and ctx.keras2() and ctx.chance(0.3):
        args.append(f"decay={ctx.choice(('1e-6', '0.0', '1e-5'))}")
    if kind == "AdamW":
        args.append(f"weight_decay={ctx.choice(('1e-4', '0.01', '0.004'))}")
    if (is_rnn and not no_clip) or (not is_rnn and ctx.chance(0.08)):
        args.append(ctx.choice(("clipnorm=1.0", "clipnorm=1.0", "clipvalue=0.5", "global_clipnorm=1.0",
                                "clipnorm=5.0")))
    expr = f"{ctx.ref('optimizers', kind)}({', '.join(args)})"
    if ctx.chance(0.35):
        pre += f"optimizer = {expr}\n"
        expr = "optimizer"
    return pre, expr


def callbacks(ctx: Ctx, monitor: str) -> tuple[str, str | None]:
    if ctx.chance(0.3):
        return "", None
    items: list[str] = []
    pool = ["EarlyStopping", "ModelCheckpoint", "ReduceLROnPlateau", "TensorBoard", "CSVLogger"]
    if ctx.lr_function:
        pool.append("LearningRateScheduler")
    for cb in ctx.rng.sample(pool, ctx.randint(1, min(4, len(pool)))):
        ref = ctx.ref("callbacks", cb)
        if cb == "EarlyStopping":
            extra = ", restore_best_weights=True" if ctx.chance(0.6) else ""
            items.append(f'{ref}(monitor="{monitor}", patience={ctx.randint(2, 15)}{extra})')
        elif cb == "ModelCheckpoint":
            path = ctx.choice(('"best_model.h5"', '"checkpoints/model.keras"', '"weights.{epoch:02d}.h5"'))
            items.append(f'{ref}({path}, monitor="{monitor}", save_best_only=True)')
        elif cb == "ReduceLROnPlateau":
            items.append(f'{ref}(monitor="{monitor}", factor={ctx.choice((0.1, 0.2, 0.5))}, '
                         f"patience={ctx.randint(2, 6)}, min_lr={ctx.choice(('1e-6', '1e-5', '1e-7'))})")
        elif cb == "TensorBoard":
            items.append(f'{ref}(log_dir="{ctx.choice(("logs", "./logs/fit", "tb"))}")')
        elif cb == "CSVLogger":
            items.append(f'{ref}("{ctx.choice(("training.log", "history.csv"))}")')
        else:
            items.append(f"{ref}(lambda epoch: {ctx.lr_function}(epoch))")
    name = ctx.choice(("callbacks", "cbs", "callback_list"))
    body = "".join(f"    {item},\n" for item in items)
    return f"{name} = [\n{body}]\n", name


# -- compile / fit / evaluate -------------------------------------------------------------------------


def compile_call(ctx: Ctx, model: str, opt: str, loss: str, metrics: list[str]) -> str:
    metrics_text = "[" + ", ".join(metrics) + "]"
    form = ctx.rng.random()
    if form < 0.1:
        return f"{model}.compile({opt}, {loss}, metrics={metrics_text})\n"
    if form < 0.25:
        return f"{model}.compile(loss={loss}, optimizer={opt}, metrics={metrics_text})\n"
    if form < 0.4:
        return f"{model}.compile(\n    optimizer={opt},\n    loss={loss},\n    metrics={metrics_text},\n)\n"
    return f"{model}.compile(optimizer={opt}, loss={loss}, metrics={metrics_text})\n"


def fit_call(ctx: Ctx, model: str, data: Data, epochs: str, batch: str, cbs: str | None) -> tuple[str, str]:
    """(the ``fit`` statement, the name the history is bound to)."""
    xtr, ytr, xte, yte = data.names
    epochs_kw = "nb_epoch" if ctx.keras2() and ctx.chance(0.6) else "epochs"
    kws: list[str] = [f"{epochs_kw}={epochs}"]
    if data.train_ds:
        args = [data.train_ds]
        kws.append(f"validation_data={data.val_ds}")
    else:
        args = [xtr, ytr]
        kws.insert(0, f"batch_size={batch}")
        kws.append(ctx.choice((f"validation_split={ctx.choice((0.1, 0.2))}", f"validation_data=({xte}, {yte})")))
    if cbs:
        kws.append(f"callbacks={cbs}")
    if ctx.chance(0.4):
        kws.append(f"verbose={ctx.choice((0, 1, 2))}")
    if ctx.chance(0.15) and not data.train_ds:
        kws.append("shuffle=True")
    target = ctx.choice(("history", "history", "hist", "h"))
    if ctx.chance(0.5):
        inner = "".join(f"    {a},\n" for a in args + kws)
        return f"{target} = {model}.fit(\n{inner})\n", target
    return f"{target} = {model}.fit({', '.join(args + kws)})\n", target


def evaluate_lines(ctx: Ctx, model: str, data: Data, head: Head) -> str:
    xtr, ytr, xte, yte = data.names
    src = data.val_ds if data.train_ds else f"{xte}, {yte}"
    lines = []
    if ctx.chance(0.5):
        lines.append(f"scores = {model}.evaluate({src}, verbose=0)")
        lines.append('print("test loss / metrics:", scores)')
    else:
        lines.append(f"test_loss, test_metric = {model}.evaluate({src}, verbose=0)[:2]")
        lines.append(f'print(f"test loss {{test_loss:.4f}}, {head.metrics[0].strip(chr(34))} {{test_metric:.4f}}")')
    if ctx.chance(0.5) and not data.train_ds:
        np = ctx.np()
        lines.append(f"predictions = {model}.predict({xte}[:{ctx.choice((5, 10, 32, 100))}])")
        if head.task in ("multiclass", "sparse"):
            lines.append(f"print({np}.argmax(predictions, axis=1))")
        elif head.task == "binary":
            lines.append("print((predictions > 0.5).astype(int).ravel())")
        else:
            lines.append("print(predictions.ravel())")
    if ctx.chance(0.4):
        lines.append(f'{model}.save("{ctx.choice(("model.h5", "model.keras", "saved_model", "final.keras"))}")')
    return "\n".join(lines) + "\n"


_LOSS_CLASSES = {"binary_crossentropy": "BinaryCrossentropy", "categorical_crossentropy": "CategoricalCrossentropy",
                 "sparse_categorical_crossentropy": "SparseCategoricalCrossentropy", "mse": "MeanSquaredError",
                 "mean_squared_error": "MeanSquaredError", "mae": "MeanAbsoluteError", "huber": "Huber"}


def tape_loop(ctx: Ctx, model: str, data: Data, head: Head, opt: str, epochs: str, batch: str) -> str:
    """A custom ``tf.GradientTape`` training loop in place of ``fit``."""
    tf = ctx.tf()
    xtr, ytr, _xte, _yte = data.names
    loss = head.loss
    if loss.startswith('"'):
        loss = f"{ctx.ref('losses', _LOSS_CLASSES[loss.strip(chr(34))])}()"
    if opt.startswith('"'):
        opt = f"{ctx.ref('optimizers', 'Adam')}({ctx.choice(('1e-3', 'learning_rate=1e-3', ''))})"
    ds = data.train_ds
    pre = ""
    if not ds:
        ds = "train_ds"
        pre = f"{ds} = {tf}.data.Dataset.from_tensor_slices(({xtr}, {ytr})).shuffle(1024).batch({batch})\n"
    step = ctx.fresh("train_step", "update_step", "step_fn")
    deco = f"@{tf}.function\n" if ctx.chance(0.7) else ""
    every = ctx.choice((50, 100, 200))
    grads_src = ctx.choice(("trainable_variables", "trainable_weights"))
    text = pre + dd(f"""
        loss_fn = {loss}
        opt = {opt}
        train_loss = {ctx.ref('metrics', 'Mean')}(name="train_loss")

        #@DECO
        def {step}(x_batch, y_batch):
            with {tf}.GradientTape() as tape:
                predictions = {model}(x_batch, training=True)
                loss_value = loss_fn(y_batch, predictions)
            grads = tape.gradient(loss_value, {model}.{grads_src})
            opt.apply_gradients(zip(grads, {model}.{grads_src}))
            train_loss.update_state(loss_value)
            return loss_value

        for epoch in range({epochs}):
            train_loss.reset_state()
            for step, (x_batch, y_batch) in enumerate({ds}):
                loss_value = {step}(x_batch, y_batch)
                if step % {every} == 0:
                    print(f"epoch {{epoch}} step {{step}}: loss {{float(loss_value):.4f}}")
            print(f"epoch {{epoch}}: mean loss {{float(train_loss.result()):.4f}}")
    """)
    return text.replace("#@DECO\n", deco)
