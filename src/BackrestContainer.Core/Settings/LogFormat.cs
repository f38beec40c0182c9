namespace BackrestContainer.Core.Settings;

public enum LogFormat
{
    Text,
    Json,
}
