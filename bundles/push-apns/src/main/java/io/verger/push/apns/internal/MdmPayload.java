package io.verger.push.apns.internal;

/** The body of an MDM push: exactly {@code {"mdm":"<PushMagic>"}}. */
final class MdmPayload {

    private MdmPayload() {
    }

    static String of(String pushMagic) {
        StringBuilder sb = new StringBuilder(pushMagic.length() + 12).append("{\"mdm\":\"");
        for (int i = 0; i < pushMagic.length(); i++) {
            char c = pushMagic.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append("\"}").toString();
    }
}
