namespace BackrestContainer.Operations.Backup;

/// <summary>
/// What a backup says while the checks beside it may still refuse it: held, then shown in order once they pass, or
/// dropped when one refuses, so a refusal stays one line instead of following pgBackRest's start.
/// </summary>
internal sealed class HeldOutput
{
    private readonly Lock _gate = new();
    private List<Action>? _held = [];
    private bool _dropped;

    public void Write(Action write)
    {
        lock (_gate)
        {
            if (_held is not null)
            {
                _held.Add(write);
                return;
            }

            if (!_dropped)
            {
                write();
            }
        }
    }

    /// <summary>Shows what was held; what comes later is shown at once.</summary>
    public void Release()
    {
        lock (_gate)
        {
            var held = _held ?? [];
            _held = null;
            foreach (var write in held)
            {
                write();
            }
        }
    }

    /// <summary>Drops what was held and anything later.</summary>
    public void Drop()
    {
        lock (_gate)
        {
            _held = null;
            _dropped = true;
        }
    }
}
