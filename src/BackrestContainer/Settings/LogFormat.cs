namespace BackrestContainer.Settings;

public enum LogFormat
{
    Text,
    Json,
}
