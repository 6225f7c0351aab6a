global using Eventuali;
