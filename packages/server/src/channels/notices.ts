import { DEFAULT_LANGUAGE, matchLanguage, type LanguageCode } from '@direturn/protocol';
import type { ChannelNotice } from './channel.js';

/**
 * What DiReturn itself tells a person on a channel, in their language (as the away messages in
 * sites/away-texts.ts): the greeting after Telegram's /start, and the note that an attachment was
 * not kept. Plain text: every channel can carry it.
 */
export const NOTICE_TEXTS: Record<LanguageCode, Record<ChannelNotice, string>> = {
  de: {
    greeting: 'Hallo! Hier erreichen Sie die Rückkehrberatung. Schreiben Sie uns Ihre Frage – eine Beraterin oder ein Berater antwortet so bald wie möglich. Bitte schicken Sie nur Text: Fotos, Dateien und Sprachnachrichten speichern wir nicht.',
    attachment: 'Danke. Fotos, Dateien und Sprachnachrichten können wir hier nicht annehmen; wir haben Ihre nicht gespeichert. Bitte schreiben Sie uns Ihr Anliegen als Text.',
  },
  en: {
    greeting: 'Hello! This is the return counselling service. Write your question here and a counsellor will reply as soon as possible. Please send text only: we do not keep photos, files or voice messages.',
    attachment: 'Thank you. We cannot accept photos, files or voice messages here and have not kept yours. Please write your message as text.',
  },
  ar: {
    greeting: 'مرحبًا! أنت تتواصل مع خدمة الاستشارة بشأن العودة. اكتب سؤالك هنا وسيرد عليك أحد المستشارين في أقرب وقت ممكن. يُرجى إرسال نص فقط: لا نحتفظ بالصور أو الملفات أو الرسائل الصوتية.',
    attachment: 'شكرًا لك. لا يمكننا استقبال الصور أو الملفات أو الرسائل الصوتية هنا، ولم نحتفظ بما أرسلته. يُرجى كتابة رسالتك نصًا.',
  },
  fa: {
    greeting: 'سلام! شما با مشاوره بازگشت در تماس هستید. سؤال خود را اینجا بنویسید؛ یک مشاور در اسرع وقت پاسخ می‌دهد. لطفاً فقط متن بفرستید: ما عکس، فایل و پیام صوتی را نگه نمی‌داریم.',
    attachment: 'متشکریم. ما در اینجا نمی‌توانیم عکس، فایل یا پیام صوتی دریافت کنیم و آنچه فرستادید را نگه نداشتیم. لطفاً پیام خود را به صورت متن بنویسید.',
  },
  ps: {
    greeting: 'سلام! تاسو د بېرته ستنېدو د سلا مشورې له خدمت سره اړیکه لرئ. خپله پوښتنه دلته ولیکئ؛ یو سلاکار به ژر تر ژره ځواب درکړي. مهرباني وکړئ یوازې متن ولېږئ: موږ انځورونه، فایلونه او غږیز پیغامونه نه ساتو.',
    attachment: 'مننه. موږ دلته انځورونه، فایلونه یا غږیز پیغامونه نشو منلی او ستاسو پیغام مو نه دی ساتلی. مهرباني وکړئ خپل پیغام د متن په توګه ولیکئ.',
  },
  tr: {
    greeting: 'Merhaba! Geri dönüş danışmanlığına ulaştınız. Sorunuzu buraya yazın; bir danışman en kısa sürede yanıt verecek. Lütfen yalnızca metin gönderin: fotoğraf, dosya ve sesli mesajları saklamıyoruz.',
    attachment: 'Teşekkürler. Burada fotoğraf, dosya veya sesli mesaj kabul edemiyoruz ve sizinkini saklamadık. Lütfen mesajınızı yazı olarak gönderin.',
  },
  ru: {
    greeting: 'Здравствуйте! Вы обратились в консультацию по вопросам возвращения. Напишите здесь свой вопрос — консультант ответит как можно скорее. Пожалуйста, отправляйте только текст: фотографии, файлы и голосовые сообщения мы не сохраняем.',
    attachment: 'Спасибо. Здесь мы не можем принимать фотографии, файлы и голосовые сообщения и не сохранили ваше. Пожалуйста, напишите своё сообщение текстом.',
  },
  uk: {
    greeting: 'Вітаємо! Ви звернулися до консультації з питань повернення. Напишіть тут своє запитання — консультант відповість якнайшвидше. Будь ласка, надсилайте лише текст: фотографії, файли та голосові повідомлення ми не зберігаємо.',
    attachment: 'Дякуємо. Тут ми не можемо приймати фотографії, файли чи голосові повідомлення й не зберегли ваше. Будь ласка, напишіть своє повідомлення текстом.',
  },
  ku: {
    greeting: 'Silav! Hûn gihîştin şêwirmendiya vegerê. Pirsa xwe li vir binivîsin; şêwirmendek dê di zûtirîn dem de bersiv bide. Ji kerema xwe tenê nivîs bişînin: em wêne, pel û peyamên dengî nahêlin.',
    attachment: 'Spas. Em li vir nikarin wêne, pel an peyamên dengî werbigirin û ya we nehiştiye. Ji kerema xwe peyama xwe wek nivîs binivîsin.',
  },
  sq: {
    greeting: 'Përshëndetje! Keni kontaktuar shërbimin e këshillimit për kthim. Shkruani pyetjen tuaj këtu; një këshilltar do t’ju përgjigjet sa më shpejt të jetë e mundur. Ju lutemi dërgoni vetëm tekst: nuk ruajmë fotografi, skedarë apo mesazhe zanore.',
    attachment: 'Faleminderit. Këtu nuk mund të pranojmë fotografi, skedarë apo mesazhe zanore dhe nuk e kemi ruajtur tuajin. Ju lutemi shkruajeni mesazhin tuaj si tekst.',
  },
  sr: {
    greeting: 'Zdravo! Obratili ste se savetovalištu za povratak. Napišite ovde svoje pitanje; savetnik će vam odgovoriti što je pre moguće. Molimo vas da šaljete samo tekst: fotografije, datoteke i glasovne poruke ne čuvamo.',
    attachment: 'Hvala. Ovde ne možemo da primamo fotografije, datoteke ni glasovne poruke i vašu nismo sačuvali. Molimo vas da svoju poruku napišete kao tekst.',
  },
  ka: {
    greeting: 'გამარჯობა! თქვენ დაუკავშირდით დაბრუნების საკითხებზე საკონსულტაციო სამსახურს. დაწერეთ თქვენი კითხვა აქ; კონსულტანტი გიპასუხებთ რაც შეიძლება მალე. გთხოვთ, გამოგზავნოთ მხოლოდ ტექსტი: ფოტოებს, ფაილებსა და ხმოვან შეტყობინებებს არ ვინახავთ.',
    attachment: 'გმადლობთ. აქ ვერ ვიღებთ ფოტოებს, ფაილებს ან ხმოვან შეტყობინებებს და თქვენი არ შეგვინახავს. გთხოვთ, თქვენი შეტყობინება ტექსტად დაწერეთ.',
  },
  fr: {
    greeting: 'Bonjour ! Vous êtes en contact avec le service de conseil au retour. Écrivez-nous votre question : une conseillère ou un conseiller vous répondra dès que possible. Merci d’envoyer uniquement du texte : nous ne conservons ni photos, ni fichiers, ni messages vocaux.',
    attachment: 'Merci. Nous ne pouvons pas recevoir de photos, de fichiers ni de messages vocaux ici et n’avons pas conservé le vôtre. Merci d’écrire votre message sous forme de texte.',
  },
};

/** The notice in `language` (any tag; German when it names no shipped language). */
export const noticeText = (notice: ChannelNotice, language: string): string => NOTICE_TEXTS[matchLanguage(language) ?? DEFAULT_LANGUAGE][notice];
