package io.webstore.cart;

import io.webstore.platform.error.Validation;
import java.util.regex.Pattern;

/** Cart owners: {@code customer:<token subject>} for signed-in customers, {@code session:<sid>} for guests. */
final class Owners {

  public static final String CUSTOMER = "customer:";
  public static final String SESSION = "session:";
  private static final Pattern OWNER = Pattern.compile("^(customer|session):[A-Za-z0-9_.@+-]{1,128}$");

  private Owners() {}

  public static String customer(String subject) {
    return CUSTOMER + subject;
  }

  public static String session(String sid) {
    return SESSION + sid;
  }

  public static boolean isSession(String owner) {
    return owner.startsWith(SESSION);
  }

  /** The session id of a {@code session:} owner. */
  static String sid(String owner) {
    return owner.substring(SESSION.length());
  }

  /** Checks the shape of an owner given on the event bus; {@code pointer} names the field in failures. */
  static String require(Object owner, String pointer) {
    if (!(owner instanceof String text) || !OWNER.matcher(text).matches()) {
      throw Validation.of(pointer, pointer.substring(1) + " must be customer:<id> or session:<sid>");
    }
    return text;
  }
}
